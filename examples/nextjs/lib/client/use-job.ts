"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { type CreatorCard, type JobProgress, type PollAnswer, type Platform, TERMINAL, api } from "./api";

export interface JobView {
  progress: JobProgress | null;
  creators: CreatorCard[];
  /** How progress arrives: server-sent events, or `after=` polling when the stream failed. */
  transport: "events" | "polling";
  error: unknown;
}

const PAGE = 200;
const POLL_MS = 2000;

/**
 * Follows one job: progress from `GET /jobs/:id/events` (SSE), creators fetched incrementally
 * with `after=<nextCursor>` whenever progress moves, so nothing is downloaded twice (the
 * blueprint re-downloaded every result every 3 s). If the stream fails, it polls instead.
 */
export function useJob(jobId: string, platform: Platform | null): JobView {
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [creators, setCreators] = useState<CreatorCard[]>([]);
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
          const after = cursor.current === null ? "" : `&after=${cursor.current}`;
          const answer = await api<PollAnswer>(`/scraping/${platform}?jobId=${encodeURIComponent(jobId)}&limit=${PAGE}${after}`);
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
        const { status, processedResults, targetResults, processedRuns, progress, stopReason, error } = answer;
        setProgress({ jobId, status, processedResults, targetResults, processedRuns, progress, stopReason, error });
        // The job is read before its creators, so a terminal answer already carried the last of them.
        if (!TERMINAL.includes(status)) timer = setTimeout(poll, POLL_MS);
      } catch (e) {
        fail(e);
        timer = setTimeout(poll, POLL_MS * 2);
      }
    };

    const events = new EventSource(`/api/jobs/${encodeURIComponent(jobId)}/events`);
    let ended = false;
    const onProgress = (event: MessageEvent<string>) => {
      const data = JSON.parse(event.data) as JobProgress;
      setProgress(data);
      load().catch(fail);
    };
    events.addEventListener("progress", onProgress);
    events.addEventListener("end", (event) => {
      ended = true;
      events.close();
      onProgress(event);
    });
    events.onerror = () => {
      if (ended || stopped) return;
      // The stream broke (a proxy that buffers, a closed connection): poll with after= instead.
      events.close();
      setTransport("polling");
      void poll();
    };
    return () => {
      stopped = true;
      events.close();
      clearTimeout(timer);
    };
  }, [jobId, platform, load]);

  return { progress, creators, transport, error };
}
