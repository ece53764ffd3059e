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
} from "../http/contract/answers.js";
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
