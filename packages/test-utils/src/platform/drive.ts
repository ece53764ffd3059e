import type { ChainSeed, PageContext, PlatformAdapter, PlatformPage, SearchChain, SearchJob, SearchRequest } from "@creatorsearch/core";

/** A job as the engine would hand it to the adapter. */
export function jobOf(adapter: PlatformAdapter, request: SearchRequest): SearchJob {
  const now = new Date();
  return {
    id: "conformance-job",
    userId: "conformance",
    campaignId: "conformance",
    platform: adapter.id,
    mode: request.mode,
    keywords: request.keywords,
    targetHandle: request.targetHandle,
    targetResults: 10_000,
    status: "processing",
    processedRuns: 0,
    processedResults: 0,
    filtered: 0,
    skippedKnown: 0,
    progress: 0,
    apiCalls: 0,
    dryPages: 0,
    stopReason: null,
    error: null,
    options: {},
    timeoutAt: new Date(now.getTime() + 3_600_000),
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    completedAt: null,
  };
}

/** A chain at `step` with `cursor`, as claimed by a worker. */
export function chainOf(seed: ChainSeed, cursor: string | null = null, step = 0): SearchChain {
  return { jobId: "conformance-job", key: seed.key, input: seed.input, cursor, step, exhausted: false, leaseOwner: "conformance", leaseExpiresAt: null, updatedAt: new Date() };
}

/** One step: fetch then parse, as the engine does (the raw value is returned too). */
export async function step(adapter: PlatformAdapter, context: PageContext): Promise<{ raw: unknown; page: PlatformPage }> {
  const raw = await adapter.fetchPage(context);
  // Through JSON, as storage keeps it: the adapter must not rely on anything JSON drops.
  const stored = JSON.parse(JSON.stringify(raw)) as unknown;
  return { raw: stored, page: adapter.parsePage(stored, context) };
}

/** The first step of the first chain, with `reserveApiCalls` granting nothing unless given. */
export async function firstStep(adapter: PlatformAdapter, request: SearchRequest, reserveApiCalls?: PageContext["reserveApiCalls"]) {
  const [seed] = adapter.planChains(request);
  if (!seed) throw new Error(`${adapter.id}.planChains planned no chain for ${JSON.stringify(request)}`);
  const context: PageContext = { job: jobOf(adapter, request), chain: chainOf(seed), ...(reserveApiCalls ? { reserveApiCalls } : {}) };
  return { context, ...(await step(adapter, context)) };
}

/** Calls `fn` and returns what it threw (or fails when it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error, but the call succeeded");
}
