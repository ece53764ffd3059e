import type { CreatorSearch } from "../engine/create.js";
import { isTerminal, type SearchJob } from "../model/job.js";
import { type JobProgress, toJobProgress } from "./views.js";

/** Options of the `GET /jobs/:id/events` stream. */
export interface JobEventsOptions {
  /** How often storage is read, to see steps run by other processes. Default 1000 ms. */
  pollMs?: number;
  /** Interval of `: ping` comments that keep proxies from closing an idle stream. Default 15 000 ms. */
  heartbeatMs?: number;
}

const encoder = new TextEncoder();
const frame = (event: string, id: number, data: JobProgress) => encoder.encode(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);

/**
 * Server-sent events for one job: a `progress` event now and whenever the job changes, then
 * one `end` event with the final state, then the stream closes. Changes come from this
 * process's engine events at once, and from storage every `pollMs` (jobs run elsewhere).
 */
export function jobEventStream(
  cs: CreatorSearch,
  userId: string,
  initial: SearchJob,
  options: JobEventsOptions & { signal?: AbortSignal },
): ReadableStream<Uint8Array> {
  const { pollMs = 1000, heartbeatMs = 15_000, signal } = options;
  const jobId = initial.id;
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      let seq = 0;
      let closed = false;
      const push = (job: SearchJob) => {
        if (closed) return;
        const view = toJobProgress(job);
        const key = JSON.stringify(view);
        const ended = isTerminal(job.status);
        if (key !== last || ended) {
          last = key;
          controller.enqueue(frame(ended ? "end" : "progress", ++seq, view));
        }
        if (ended) stop();
      };
      const onProgress = ({ job }: { job: SearchJob }) => job.id === jobId && push(job);
      const poll = () =>
        cs.jobs.get(userId, jobId).then(
          (job) => (job ? push(job) : stop()),
          () => undefined, // a failed read is retried on the next tick
        );
      const pollTimer = setInterval(poll, pollMs);
      const beatTimer = setInterval(() => !closed && controller.enqueue(encoder.encode(": ping\n\n")), heartbeatMs);
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(pollTimer);
        clearInterval(beatTimer);
        cs.events.off("job.progress", onProgress);
        cs.events.off("job.finished", onProgress);
        signal?.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          // already closed by the consumer
        }
      };
      cs.events.on("job.progress", onProgress);
      cs.events.on("job.finished", onProgress);
      signal?.addEventListener("abort", stop, { once: true });
      controller.enqueue(encoder.encode(`retry: 3000\n\n`));
      push(initial);
      // The job may have moved between the read that authorised this stream and the subscription.
      if (!closed) void poll();
    },
    cancel() {
      stop();
    },
  });
}
