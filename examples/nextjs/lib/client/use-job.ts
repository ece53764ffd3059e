"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { type ApiCreator, type ApiJobProgress, TERMINAL, api } from "./api";

export interface JobView {
  progress: ApiJobProgress | null;
  creators: ApiCreator[];
  /** How progress arrives: server-sent events, or `after=` polling when the stream failed. */
  transport: "events" | "polling";
  error: unknown;
}

// Pages of the `after=` loads: a small first one so the first cards show at once, then larger ones.
const FIRST_PAGE = 48;
const PAGE = 500;
const POLL_MS = 2000;

type PollAnswer = Awaited<ReturnType<typeof api.searches.poll>>;

/**
 * Follows one job: progress from `GET /jobs/:id/events` (SSE), creators fetched incrementally
 * with `after=<nextCursor>` whenever progress moves, so nothing is downloaded twice (the
 * blueprint re-downloaded every result every 3 s). If the stream fails, it polls instead.
 */
export function useJob(jobId: string, platform: string | null): JobView {
  const [progress, setProgress] = useState<ApiJobProgress | null>(null);
  const [creators, setCreators] = useState<ApiCreator[]>([]);
  const [transport, setTransport] = useState<JobView["transport"]>("events");
  const [error, setError] = useState<unknown>(null);
  const cursor = useRef<string | null>(null);
  const loading = useRef<Promise<PollAnswer | null> | null>(null);
  const again = useRef(false);

  /** Fetches every creator after the cursor; concurrent calls coalesce into one more round. */
  const load = useCallback(async (): Promise<PollAnswer | null> => {
    if (!platform) return null;
    if (loading.current) {
      again.current = true;
      return loading.current;
    }
    const run = async () => {
      let last: PollAnswer | null = null;
      do {
        again.current = false;
        for (;;) {
          const answer = await api.searches.poll(platform, { jobId, limit: cursor.current === null ? FIRST_PAGE : PAGE, after: cursor.current });
          const fresh = answer.results.flatMap((r) => r.creators);
          if (fresh.length) setCreators((all) => [...all, ...fresh]);
          if (answer.nextCursor) cursor.current = answer.nextCursor;
          last = answer;
          if (!answer.hasMore) break;
        }
      } while (again.current);
      return last;
    };
    loading.current = run().finally(() => {
      loading.current = null;
    });
    return loading.current;
  }, [jobId, platform]);

  useEffect(() => {
    if (!platform) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (e: unknown) => !stopped && setError(e);

    const poll = async () => {
      try {
        const answer = await load();
        if (stopped || !answer) return;
        const { results: _results, nextCursor: _cursor, hasMore: _more, ...fields } = answer;
        setProgress({ jobId, ...fields });
        // The job is read before its creators, so a terminal answer already carried the last of them.
        if (!TERMINAL.includes(answer.status)) timer = setTimeout(poll, POLL_MS);
      } catch (e) {
        fail(e);
        timer = setTimeout(poll, POLL_MS * 2);
      }
    };

    // Load what is stored right away (a reload mid-job shows its cards at once), not only when the stream first speaks.
    load().then(
      (answer) => {
        if (stopped || !answer) return;
        const { results: _results, nextCursor: _cursor, hasMore: _more, ...fields } = answer;
        setProgress((current) => current ?? { jobId, ...fields });
      },
      fail,
    );
    const stream = new AbortController();
    const follow = async () => {
      try {
        for await (const event of api.jobs.events(jobId, { signal: stream.signal })) {
          setProgress(event.progress);
          load().catch(fail);
          if (event.type === "end") return;
        }
      } catch {
        // handled below: any stream failure falls back to polling
      }
      if (stopped) return;
      // The stream broke or closed early (a proxy that buffers, a dropped connection): poll with after= instead.
      setTransport("polling");
      void poll();
    };
    void follow();
    return () => {
      stopped = true;
      stream.abort();
      clearTimeout(timer);
    };
  }, [jobId, platform, load]);

  return { progress, creators, transport, error };
}
