import { JobProgressAnswer } from "../contract/answers.js";
import { json, notFound } from "../errors.js";
import { ID_PATTERN, idPathParams } from "../request.js";
import type { Route, RouteContext } from "../router.js";
import { jobEventStream } from "../sse.js";
import { textStream } from "../text-stream.js";
import { toJobProgress } from "../views.js";

const TAGS = ["jobs"];
const NOT_FOUND = { description: "No such job among yours (another user's answers the same)" };

async function ownJob({ cs, params, userId }: RouteContext) {
  const id = params.id!;
  const job = ID_PATTERN.test(id) ? await cs.jobs.get(userId, id) : null;
  if (!job) throw notFound("Job");
  return job;
}

/** `GET /jobs/:id/events`: server-sent `progress` events, then one `end` event when the job ends. */
export const jobEvents: Route = {
  method: "GET",
  path: "/jobs/:id/events",
  doc: {
    operationId: "jobEvents",
    summary: "Follow a job: server-sent progress events",
    description: "`event: progress` with a `JobProgress` as data on every page the job processes, then one `event: end` with the final `JobProgress`; the stream then closes.",
    tags: TAGS,
    params: idPathParams("job"),
    answers: {
      200: { description: "An event stream", content: { "text/event-stream": { schema: { type: "string" } } } },
      404: NOT_FOUND,
    },
  },
  async handle(ctx) {
    const job = await ownJob(ctx);
    const stream = jobEventStream(ctx.cs, ctx.userId, job, { ...ctx.options.events, signal: ctx.request.signal });
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        // Stops nginx and similar proxies from buffering the stream.
        "x-accel-buffering": "no",
      },
    });
  },
};

/** `GET /jobs/:id/export.csv`: every creator of the job as CSV, streamed in batches. */
export const exportCsv: Route = {
  method: "GET",
  path: "/jobs/:id/export.csv",
  doc: {
    operationId: "exportJobCsv",
    summary: "Every creator of a job as CSV",
    tags: TAGS,
    params: idPathParams("job"),
    answers: {
      200: { description: "CSV with a header row, streamed", content: { "text/csv": { schema: { type: "string" } } } },
      404: NOT_FOUND,
    },
  },
  async handle(ctx) {
    const job = await ownJob(ctx);
    const stream = textStream(ctx.cs.results.export(ctx.userId, { jobId: job.id, format: "csv" }));
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="creators-${job.id}.csv"`,
        "cache-control": "no-store",
      },
    });
  },
};

/** `POST /jobs/:id/cancel`: cancels a running job; answers its progress fields (a finished job is left as it is). */
export const cancelJob: Route = {
  method: "POST",
  path: "/jobs/:id/cancel",
  doc: {
    operationId: "cancelJob",
    summary: "Cancel a running job (a finished one is left as it is)",
    tags: TAGS,
    params: idPathParams("job"),
    answers: { 200: { description: "The job's progress after the cancel", json: JobProgressAnswer }, 404: NOT_FOUND },
  },
  async handle(ctx) {
    const job = await ownJob(ctx);
    return json(toJobProgress(await ctx.cs.jobs.cancel(ctx.userId, job.id)));
  },
};
