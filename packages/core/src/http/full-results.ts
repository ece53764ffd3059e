import type { CreatorSearch } from "../engine/create.js";
import type { SearchJob } from "../model/job.js";
import { json } from "./errors.js";
import { textStream } from "./text-stream.js";
import { toBlueprintCreator } from "./views.js";

/** Creators per streamed chunk: small enough that one chunk is a short task on the loop. */
const CHUNK = 250;

/**
 * The blueprint's poll answer (every creator of the job) streamed as the client reads: a
 * 10,000-creator answer is never one string in memory, nor one long task on the loop that
 * serves the other polls. `progress` are the answer's first fields; `results` holds one entry
 * with all the creators, then come `nextCursor` and `hasMore`, as in the paged answer.
 */
export async function fullResultsAnswer(cs: CreatorSearch, userId: string, job: SearchJob, progress: Record<string, unknown>): Promise<Response> {
  const creators = cs.results.iterate(userId, job.id)[Symbol.asyncIterator]();
  // The first creator is read before answering: a job with none answers at once, and a
  // failing read is an error answer, not a broken stream.
  const first = await creators.next();
  if (first.done) return json({ ...progress, results: [], nextCursor: null, hasMore: false });
  async function* chunks(): AsyncGenerator<string> {
    const head = JSON.stringify(progress);
    yield `${head.slice(0, -1)}${head.length > 2 ? "," : ""}"results":[{"jobId":${JSON.stringify(job.id)},"creators":[`;
    let batch = [first.value];
    let last = first.value;
    let separator = "";
    for (;;) {
      const next = batch.length < CHUNK ? await creators.next() : undefined;
      if (next && !next.done) {
        batch.push(next.value);
        last = next.value;
        continue;
      }
      if (batch.length) yield separator + batch.map((c) => JSON.stringify(toBlueprintCreator(c))).join(",");
      separator = ",";
      batch = [];
      if (next?.done) break;
    }
    const cursor = String(last.seq);
    yield `],"id":${JSON.stringify(`${job.id}:${cursor}`)},"createdAt":${JSON.stringify(job.updatedAt)}}],"nextCursor":${JSON.stringify(cursor)},"hasMore":false}`;
  }
  return new Response(textStream(chunks()), {
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}
