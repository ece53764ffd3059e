import { z } from "zod";
import { StartJobFields } from "../../engine/validation.js";
import { JobStartedAnswer, PollAnswer } from "../contract/answers.js";
import { FILTER_KEYS } from "../../model/filters.js";
import { json, notFound } from "../errors.js";
import { fullResultsAnswer } from "../full-results.js";
import { idParam, intParam, parseQuery, readJsonObject } from "../request.js";
import type { Route } from "../router.js";
import { toBlueprintCreator, toJobProgress } from "../views.js";

const TAGS = ["searches"];
const PlatformParams = z.object({ platform: z.string().describe("`tiktok`, `instagram` or `youtube`: the platforms this server runs (others answer 404)") });

const PollQuery = z.object({
  jobId: idParam("job id"),
  after: z.string().regex(/^\d{1,15}$/, "must be a cursor returned by a previous answer (nextCursor)").optional(),
  limit: intParam(1, 1000).optional(),
});

/** Answers 404 for a platform this instance does not run (the path names it). */
function platformOf(cs: { platforms: ReadonlyMap<string, unknown> }, name: string): string {
  const id = name.toLowerCase();
  if (!cs.platforms.has(id)) throw notFound(`Platform "${name.slice(0, 40)}"`);
  return id;
}

/**
 * `POST /scraping/:platform`: starts a job. Body `{ campaignId, keywords, targetResults }` or
 * `{ campaignId, targetHandle, targetResults }`, plus optional `maxApiCalls`, `enrich`, `onlyNew` and the
 * creator filters (`minFollowers`, `hasEmail`, ...); answers `{ message, jobId }` (202).
 */
export const startScraping: Route = {
  method: "POST",
  path: "/scraping/:platform",
  doc: {
    operationId: "startSearch",
    summary: "Start a search job in one of your campaigns",
    description: "Keywords (`keywords`) or creators similar to a handle (`targetHandle`, Instagram), with optional creator filters.",
    tags: TAGS,
    params: PlatformParams,
    body: StartJobFields.omit({ platform: true }),
    answers: {
      202: { description: "Started: follow it with the poll or the events route", json: JobStartedAnswer },
      404: { description: "No such campaign among yours, or a platform this server does not run" },
      429: {
        description: "Too many jobs started by this user lately",
        headers: { "Retry-After": { description: "Seconds to wait", schema: { type: "integer", minimum: 1 } } },
      },
    },
  },
  async handle({ cs, request, params, userId, options }) {
    const platform = platformOf(cs, params.platform!);
    const body = await readJsonObject(request, options.maxBodyBytes);
    await options.checkJobRate(userId);
    const { campaignId, keywords, targetHandle, targetResults, mode, maxApiCalls, enrich, onlyNew } = body;
    // Filters pass through as given: jobs.start validates them and names a bad field in the 400.
    const filters = Object.fromEntries(FILTER_KEYS.filter((key) => key in body).map((key) => [key, body[key]]));
    const input = { campaignId, keywords, targetHandle, targetResults, mode, maxApiCalls, enrich, onlyNew, ...filters, platform };
    const job = await cs.jobs.start(userId, input as never);
    return json({ message: "Scraping job started successfully", jobId: job.id }, { status: 202 });
  },
};

/**
 * `GET /scraping/:platform?jobId=`: the blueprint's `{ status, processedResults, targetResults,
 * error, results, progress }`. Without `after` and `limit`, `results` holds every creator (as
 * the blueprint did); with `after=<nextCursor>` only the creators added since, `limit` at a
 * time (default 100). `nextCursor` and `hasMore` say where to continue.
 */
export const pollScraping: Route = {
  method: "GET",
  path: "/scraping/:platform",
  doc: {
    operationId: "pollSearch",
    summary: "A job's progress and creators (all, or those found after a cursor)",
    tags: TAGS,
    params: PlatformParams,
    query: PollQuery,
    answers: {
      200: { description: "Progress and creators", json: PollAnswer },
      404: { description: "No such job of this platform among yours" },
    },
  },
  async handle({ cs, url, params, userId }) {
    const platform = platformOf(cs, params.platform!);
    const query = parseQuery(url, PollQuery);
    // Read the job before its creators: a job seen terminal already has all of them stored.
    const job = await cs.jobs.get(userId, query.jobId);
    if (!job || job.platform !== platform) throw notFound("Job");
    const { jobId: _jobId, ...answerProgress } = toJobProgress(job);
    // No cursor: the blueprint's answer, every creator of the job, streamed.
    if (query.after === undefined && query.limit === undefined) return fullResultsAnswer(cs, userId, job, answerProgress);
    const { items: creators, nextCursor, hasMore } = await cs.results.list(userId, { jobId: job.id, after: query.after ?? null, limit: query.limit ?? 100 });
    return json({
      ...answerProgress,
      results: creators.length ? [{ id: `${job.id}:${nextCursor}`, jobId: job.id, creators: creators.map(toBlueprintCreator), createdAt: job.updatedAt }] : [],
      nextCursor,
      hasMore,
    });
  },
};
