import { z } from "zod";
import { CampaignStatusSchema, SearchTypeSchema } from "../../model/campaign.js";
import { CreatorLinkSchema, EngagementSchema } from "../../model/creator.js";
import { RosterStatusSchema } from "../../model/roster.js";
import { JobStatusSchema, StopReasonSchema } from "../../model/job.js";

/*
 * The JSON bodies the HTTP routes answer, as zod schemas: the OpenAPI document is generated from
 * them, and the contract tests validate real answers against that document. Dates travel as
 * ISO 8601 strings.
 */

const dateTime = () => z.iso.datetime({ offset: true });

/** One field a request got wrong, and why. */
export const FieldIssueAnswer = z
  .object({ field: z.string().describe("Dotted path of the field, e.g. `keywords.2`"), reason: z.string() })
  .meta({ id: "FieldIssue" });

/** The body of every answer other than 2xx. */
export const ErrorAnswer = z
  .object({ error: z.string().describe("One line for people"), issues: z.array(FieldIssueAnswer).describe("The fields at fault, possibly none") })
  .meta({ id: "Error" });

/** A campaign. */
export const CampaignAnswer = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    searchType: SearchTypeSchema,
    status: CampaignStatusSchema,
    platforms: z.array(z.string()),
    createdAt: dateTime(),
    updatedAt: dateTime(),
    archivedAt: dateTime().nullable(),
  })
  .meta({ id: "Campaign" });

/** A job's progress fields, as polls, cancels and progress events report them. */
export const JobProgressAnswer = z
  .object({
    jobId: z.string(),
    status: JobStatusSchema,
    processedResults: z.int().min(0).describe("Creators found that pass the job's filters"),
    filtered: z.int().min(0).describe("Creators found that failed the job's filters (not in results)"),
    skippedKnown: z.int().min(0).describe("Creators an `onlyNew` job skipped because its campaign already had them (not in results)"),
    targetResults: z.int().min(1),
    processedRuns: z.int().min(0).describe("Pages processed"),
    progress: z.number().min(0).max(100),
    stopReason: StopReasonSchema.nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: "JobProgress" });

/** `GET /campaigns`. */
export const CampaignListAnswer = z.object({ campaigns: z.array(CampaignAnswer) }).meta({ id: "CampaignList" });

/** `GET /campaigns/:id`: the campaign and its latest jobs. */
export const CampaignWithJobsAnswer = CampaignAnswer.extend({
  jobs: z.array(
    JobProgressAnswer.extend({
      platform: z.string(),
      keywords: z.array(z.string()),
      targetHandle: z.string().nullable(),
      createdAt: dateTime(),
    }),
  ),
}).meta({ id: "CampaignWithJobs" });

/** `POST /scraping/:platform`. */
export const JobStartedAnswer = z.object({ message: z.string(), jobId: z.string() }).meta({ id: "JobStarted" });

/** A creator in the blueprint UI's shape (`BlueprintCreator`). */
export const BlueprintCreatorAnswer = z
  .object({
    creator: z.object({
      id: z.string(),
      handle: z.string(),
      name: z.string(),
      followers: z.number().nullable(),
      avatarUrl: z.string().nullable(),
      profilePicUrl: z.string().nullable(),
      profileUrl: z.string().nullable(),
      bio: z.string().nullable(),
      verified: z.boolean().nullable(),
      emails: z.array(z.string()),
    }),
    video: z
      .object({
        description: z.string().nullable(),
        url: z.string().nullable(),
        statistics: z.object({ likes: z.number().nullable(), comments: z.number().nullable(), shares: z.number().nullable(), views: z.number().nullable() }),
      })
      .nullable()
      .describe("The creator's most viewed post found"),
    hashtags: z.array(z.string()),
    platform: z.string(),
    keywords: z.array(z.string()),
    engagement: EngagementSchema.meta({ id: "Engagement" }),
    postsFound: z.int().min(0),
    seq: z.int().describe("Position in the job's results"),
  })
  .meta({ id: "BlueprintCreator" });

/** `GET /scraping/:platform?jobId=`: progress, and the creators found (all of them, or those after `after`). */
export const PollAnswer = JobProgressAnswer.omit({ jobId: true })
  .extend({
    results: z.array(z.object({ id: z.string(), jobId: z.string(), creators: z.array(BlueprintCreatorAnswer), createdAt: dateTime() })).max(1),
    nextCursor: z.string().nullable().describe("Pass as `after` to get the creators found since; `null` until one is returned"),
    hasMore: z.boolean().describe("Whether more creators exist after this page right now"),
  })
  .meta({ id: "Poll" });

/** A creator of a campaign's roster. */
export const RosterEntryAnswer = z
  .object({
    id: z.string().describe("`<platform>:<platform id>`: the id of the entry in its campaign"),
    campaignId: z.string(),
    platform: z.string(),
    platformId: z.string(),
    handle: z.string(),
    name: z.string().nullable(),
    followers: z.number().nullable(),
    avatarUrl: z.string().nullable(),
    profileUrl: z.string().nullable(),
    bio: z.string().nullable(),
    verified: z.boolean().nullable(),
    emails: z.array(z.string()),
    hashtags: z.array(z.string()),
    engagement: EngagementSchema,
    status: RosterStatusSchema,
    notes: z.string().nullable(),
    tags: z.array(z.string()),
    foundBy: z
      .array(z.object({ jobId: z.string(), inputs: z.array(z.string()), at: dateTime() }))
      .describe("The campaign's jobs that found it, first seen first"),
    links: z.array(CreatorLinkSchema.meta({ id: "CreatorLink" })).describe("Other accounts the platforms say are this creator's"),
    linked: z
      .array(z.object({ id: z.string(), platform: z.string(), handle: z.string() }))
      .describe("Entries of this campaign that are the same person"),
    firstSeenAt: dateTime(),
    updatedAt: dateTime(),
  })
  .meta({ id: "RosterEntry" });

/** `GET /campaigns/:id/creators`. */
export const RosterPageAnswer = z
  .object({
    items: z.array(RosterEntryAnswer),
    nextCursor: z.string().nullable().describe("Pass as `after` for the next page"),
    hasMore: z.boolean(),
  })
  .meta({ id: "RosterPage" });

/** `PATCH /campaigns/:id/creators`. */
export const RosterUpdateAnswer = z
  .object({ items: z.array(RosterEntryAnswer), notFound: z.array(z.string()).describe("Ids not on the roster") })
  .meta({ id: "RosterUpdate" });
