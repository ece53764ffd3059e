import type { z } from "zod";
import type { StartJobFields } from "../engine/validation.js";
import type {
  BlueprintCreatorAnswer,
  CampaignAnswer,
  CampaignListAnswer,
  CampaignWithJobsAnswer,
  JobProgressAnswer,
  JobStartedAnswer,
  PollAnswer,
  RosterEntryAnswer,
  RosterPageAnswer,
  RosterUpdateAnswer,
} from "../http/contract/answers.js";
import type { RosterPatchSchema, RosterStatus } from "../model/roster.js";
import type { CreateCampaignInputSchema } from "../model/campaign.js";

/*
 * The API's answers and request bodies as TypeScript types, inferred from the zod schemas the
 * server validates and answers with (type-only imports: no schema code reaches a client bundle).
 */

/** A campaign as the API answers it (dates as ISO strings). */
export type ApiCampaign = z.output<typeof CampaignAnswer>;
/** `GET /campaigns`. */
export type ApiCampaignList = z.output<typeof CampaignListAnswer>;
/** `GET /campaigns/:id`: the campaign and its latest jobs. */
export type ApiCampaignWithJobs = z.output<typeof CampaignWithJobsAnswer>;
/** A job's progress fields. */
export type ApiJobProgress = z.output<typeof JobProgressAnswer>;
/** `POST /scraping/:platform`. */
export type ApiJobStarted = z.output<typeof JobStartedAnswer>;
/** `GET /scraping/:platform?jobId=`. */
export type ApiPoll = z.output<typeof PollAnswer>;
/** A creator of the results, in the blueprint UI's shape. */
export type ApiCreator = z.output<typeof BlueprintCreatorAnswer>;

/** Body of `POST /campaigns`. */
export type ApiCreateCampaign = z.input<typeof CreateCampaignInputSchema>;
/** Body of `POST /scraping/:platform`: keywords or a handle, the target, optional filters. */
export type ApiStartSearch = Omit<z.input<typeof StartJobFields>, "platform">;

/** A `GET /jobs/:id/events` event: progress while the job runs, `end` once with its final state. */
export interface ApiJobEvent {
  type: "progress" | "end";
  progress: ApiJobProgress;
}

/** A creator of a campaign's roster. */
export type ApiRosterEntry = z.output<typeof RosterEntryAnswer>;
/** `GET /campaigns/:id/creators`. */
export type ApiRosterPage = z.output<typeof RosterPageAnswer>;
/** `PATCH /campaigns/:id/creators`. */
export type ApiRosterUpdate = z.output<typeof RosterUpdateAnswer>;
/** What `PATCH` may set on roster entries. */
export type ApiRosterPatch = z.input<typeof RosterPatchSchema>;
/** Filters of the roster list and export. */
export interface ApiRosterFilters {
  status?: RosterStatus;
  platform?: string;
  tag?: string;
  /** Text in the handle or name (case-insensitive). */
  q?: string;
}
