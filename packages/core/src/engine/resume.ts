import type { SearchChain, SearchJob } from "../model/job.js";
import type { StorageAdapter } from "../storage/types.js";

/** Where an `onlyNew` chain starts: the furthest a previous job of the campaign went. */
export interface ResumePoint {
  cursor: string | null;
  exhausted: boolean;
  /** The job whose chain it continues. */
  fromJobId: string;
}

/** Most earlier jobs of the campaign looked at. */
const MAX_JOBS_LOOKED_AT = 200;

/**
 * For an `onlyNew` job: each chain input (keyword, handle) that an earlier job of the same
 * campaign already paged through, with the same platform, mode and filters, resumes where the
 * furthest of them stopped. The pages before it hold creators the campaign has (or that its
 * filters refused), so paying for them again would buy nothing new. Inputs compare
 * case-insensitively. Only committed steps count: a running job's cursor is where it is now.
 */
export async function resumePoints(
  storage: StorageAdapter,
  job: Pick<SearchJob, "id" | "userId" | "campaignId" | "platform" | "mode" | "options">,
  inputs: readonly string[],
): Promise<Map<string, ResumePoint>> {
  const wanted = new Set(inputs.map((i) => i.toLowerCase()));
  const earlier = (await storage.listJobs(job.userId, { campaignId: job.campaignId, limit: MAX_JOBS_LOOKED_AT })).filter(
    (j) => j.id !== job.id && j.platform === job.platform && j.mode === job.mode && sameFilters(j, job),
  );
  const best = new Map<string, { chain: SearchChain; jobId: string }>();
  for (const previous of earlier) {
    for (const chain of await storage.listChains(previous.id)) {
      const input = chain.input.toLowerCase();
      if (!wanted.has(input) || chain.step === 0) continue;
      const seen = best.get(input);
      if (!seen || further(chain, seen.chain)) best.set(input, { chain, jobId: previous.id });
    }
  }
  const points = new Map<string, ResumePoint>();
  for (const [input, { chain, jobId }] of best) points.set(input, { cursor: chain.cursor, exhausted: chain.exhausted, fromJobId: jobId });
  return points;
}

/** An exhausted chain went furthest; otherwise the one with more committed pages. */
function further(a: SearchChain, b: SearchChain): boolean {
  if (a.exhausted !== b.exhausted) return a.exhausted;
  return a.step > b.step;
}

/** Filters are stored as validated, keys in `FILTER_KEYS` order: equal filters give equal JSON. */
function sameFilters(a: Pick<SearchJob, "options">, b: Pick<SearchJob, "options">): boolean {
  return JSON.stringify(a.options.filters ?? null) === JSON.stringify(b.options.filters ?? null);
}
