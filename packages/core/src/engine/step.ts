/**
 * The job state machine: how one queue delivery of `{ jobId, chain, step }` runs, and how a job
 * decides to stop. Every function here is safe to run twice, concurrently, or after a crash at
 * any line (DESIGN.md, "A search job, step by step").
 */
import { ConfigurationError, StepBusyError, isRetryable } from "../errors.js";
import { type SearchChain, type SearchJob, type StopReason, isTerminal } from "../model/job.js";
import { type Delivery, type StepMessage, stepKey } from "../queue/types.js";
import type { FinishJobRequest } from "../storage/types.js";
import type { EngineContext } from "./context.js";
import { acceptsOf } from "./filters.js";
import { nextLoopTurn } from "./loop-turns.js";
import { ShutdownError, unlessShutdown } from "./shutdown.js";
import { retryStorage, savePageHeld, startHeartbeat } from "./storage-weather.js";


/** The API-call budget of a job: the configured limit, or the job's own lower one. */
export function budgetOf(ctx: EngineContext, job: SearchJob): number {
  const own = typeof job.options.maxApiCalls === "number" ? job.options.maxApiCalls : Infinity;
  return Math.min(ctx.limits.maxApiCallsPerJob, own);
}

/** Queues a step; the idempotency key collapses duplicates. */
export async function enqueueStep(ctx: EngineContext, message: StepMessage, delayMs = 0): Promise<void> {
  await ctx.queue.enqueue(message, { idempotencyKey: stepKey(message), ...(delayMs ? { delayMs } : {}) });
}

/** Ends a job (only from a non-terminal status) and emits its events. */
export async function finishJob(
  ctx: EngineContext,
  jobId: string,
  status: FinishJobRequest["status"],
  stopReason: StopReason,
  error: unknown = null,
): Promise<SearchJob | null> {
  const message = error == null ? null : error instanceof Error ? error.message : String(error);
  const job = await ctx.storage.finishJob({ jobId, status, stopReason, error: message, now: ctx.now() });
  if (!job) return null;
  if (status === "completed") ctx.events.emit("job.completed", { job });
  if (status === "error") ctx.events.emit("job.failed", { job, error });
  if (status === "cancelled") ctx.events.emit("job.cancelled", { job });
  if (status === "timeout") ctx.events.emit("job.timeout", { job });
  ctx.events.emit("job.finished", { job });
  return job;
}

/** From the job's own deadline: the process that times it out may run with other limits. */
function timeoutMessage(job: SearchJob): string {
  return `Job exceeded its time limit of ${Math.round((job.timeoutAt.getTime() - job.createdAt.getTime()) / 1000)} s`;
}

/**
 * Why the job should stop now, or `null` to go on. A reached target and a spent budget wait
 * for steps that may already have paid for their page (live leases): their commits land, so no
 * billed page is thrown away (the job may end with a few more creators than its target). No new
 * page is paid meanwhile: `reserveApiCall` refuses past the target and the budget.
 */
export function stopReasonOf(
  ctx: EngineContext,
  job: SearchJob,
  chains: readonly SearchChain[],
): StopReason | null {
  const now = ctx.now();
  const inFlight = () => chains.some((c) => c.leaseOwner && c.leaseExpiresAt && c.leaseExpiresAt > now);
  if (job.processedResults >= job.targetResults) return inFlight() ? null : "target_reached";
  if (job.dryPages >= ctx.limits.maxDryPages) return "no_new_results";
  if (chains.every((c) => c.exhausted)) return "exhausted";
  if (job.apiCalls >= budgetOf(ctx, job)) return inFlight() ? null : "budget_spent";
  return null;
}

/** Whether the job takes no more pages: what is in flight commits, nothing new is queued. */
const takesNoMorePages = (ctx: EngineContext, job: SearchJob): boolean =>
  job.processedResults >= job.targetResults || job.apiCalls >= budgetOf(ctx, job);

/**
 * After a commit (or a refused budget): finish the job, or queue the chain's next step.
 * `chains` are the job's chains when the commit read them already.
 */
async function advance(ctx: EngineContext, job: SearchJob, chain: SearchChain, chains?: readonly SearchChain[]): Promise<void> {
  chains ??= await ctx.storage.listChains(job.id);
  const reason = stopReasonOf(ctx, job, chains);
  if (reason) {
    await finishJob(ctx, job.id, "completed", reason);
    return;
  }
  if (!chain.exhausted && !takesNoMorePages(ctx, job)) {
    await enqueueStep(ctx, { jobId: job.id, chain: chain.key, step: chain.step });
  }
}

/**
 * Runs one delivery of a step:
 * 1. claim the step with a conditional update (a duplicate of a finished step is acknowledged;
 *    one held by a live worker is re-delivered after its lease); a job past its deadline ends;
 * 2. reuse the stored raw page, or reserve budget, call the platform and store the raw page
 *    before processing it;
 * 3. normalize and commit in one transaction, conditioned on the claim;
 * 4. finish the job or enqueue the next step (a crash here is healed by `recoverStalled`).
 */
export async function runStep(ctx: EngineContext, message: StepMessage, _delivery?: Delivery): Promise<void> {
  const { storage } = ctx;
  // The claim reads the job too: a step costs no round trip before it. A finished job has no
  // step to claim, so its duplicate deliveries end here.
  const owner = `${ctx.workerId}:${globalThis.crypto.randomUUID()}`;
  // Safe to repeat: the owner may claim its own step again (a reply lost in a restart).
  const claim = await retryStorage(ctx, () => storage.claimStep({ ...message, owner, leaseMs: ctx.limits.stepLeaseMs, now: ctx.now() }));
  if (claim.status === "done") return;
  if (claim.status === "busy") {
    const wait = claim.leaseExpiresAt.getTime() - ctx.now().getTime();
    throw new StepBusyError(message.jobId, message.chain, message.step, Math.max(250, wait + 50));
  }
  const { job, chain } = claim;
  const release = () => storage.releaseStep({ ...message, owner });
  if (ctx.now() >= job.timeoutAt) {
    await release();
    await finishJob(ctx, job.id, "timeout", "timeout", timeoutMessage(job));
    return;
  }
  const platform = ctx.platforms.get(job.platform);
  if (!platform) {
    await release();
    await finishJob(ctx, job.id, "error", "error", new ConfigurationError(`No platform adapter "${job.platform}" is configured`));
    return;
  }

  const stopHeartbeat = startHeartbeat(ctx, { ...message, owner });
  try {
    let raw: unknown;
    const stored = claim.page !== undefined ? claim.page : await retryStorage(ctx, () => storage.getPage(job.id, chain.key, chain.step));
    if (stored) {
      raw = stored.raw; // a redelivery after a crash: never pay for the same page twice
    } else {
      if (!(await storage.reserveApiCall(job.id, budgetOf(ctx, job)))) {
        await release();
        const latest = await storage.getJob(job.id);
        if (latest && !isTerminal(latest.status)) await advance(ctx, latest, chain);
        return;
      }
      const budget = budgetOf(ctx, job);
      // Extra calls of this step (enrichment) count against the same budget, one at a time.
      const reserveApiCalls = async (count: number): Promise<number> => {
        let granted = 0;
        while (granted < count && (await storage.reserveApiCall(job.id, budget))) granted += 1;
        return granted;
      };
      // On shutdown the call is aborted (and not waited for), so the lease below is released.
      raw = await unlessShutdown(platform.fetchPage({ job, chain, reserveApiCalls, signal: ctx.shutdown }), ctx.shutdown);
      // Paid for: kept in memory (bounded) until the storage takes it, never bought twice.
      const fetchedAt = ctx.now();
      await savePageHeld(ctx, () => storage.savePage({ jobId: job.id, chain: chain.key, step: chain.step, raw, fetchedAt }), raw);
    }

    // Parse and commit are a step's CPU (tens of ms for a large page, on the loop that may also
    // serve HTTP): each gets a loop turn of its own, so requests and connections waiting
    // meanwhile are served between them instead of after every step that finished at once.
    await nextLoopTurn();
    const page = platform.parsePage(raw, { job, chain });
    await nextLoopTurn();
    const now = ctx.now();
    const accepts = acceptsOf(job, now);
    let unsure = false; // a commit whose reply was lost may have been applied
    const committed = await retryStorage(ctx, () => storage.commitPage({
      jobId: job.id,
      chain: chain.key,
      step: chain.step,
      owner,
      creators: page.creators,
      nextCursor: page.nextCursor,
      exhausted: !page.hasMore,
      now,
      ...(accepts ? { accepts } : {}),
      ...(job.options.onlyNew === true ? { onlyNew: true } : {}),
    }), { onRetry: () => (unsure = true) });
    stopHeartbeat();
    if (!committed) {
      // The job ended meanwhile, or the lease was lost to another worker; or this very commit
      // went through before a retry: then the chain's next step is queued here.
      await retryStorage(ctx, release);
      if (unsure) await retryStorage(ctx, () => advanceIfCommitted(ctx, job.id, chain));
      return;
    }
    ctx.events.emit("job.progress", committed);
    // Idempotent (a conditional finish, an enqueue with an idempotency key): retried, so a
    // restart after the commit does not leave the chain without a next step.
    await retryStorage(ctx, () => advance(ctx, committed.job, committed.chain, committed.chains));
  } catch (error) {
    stopHeartbeat();
    if (ctx.shutdown.aborted) {
      // Handed back on shutdown: not the step's failure, whatever the aborted call threw. One
      // try to release (shutdown is bounded; if storage is down, the short lease runs out).
      await release().catch(() => undefined);
      throw new ShutdownError();
    }
    // Released as soon as the storage answers, so the next delivery goes on at once.
    await retryStorage(ctx, release).catch(() => undefined);
    if (!isRetryable(error)) {
      // Bad key, no credits, bad input, changed upstream shape: retrying cannot help.
      await finishJob(ctx, job.id, "error", "error", error);
      ctx.events.emit("step.failed", { message, error, willRetry: false });
      return;
    }
    ctx.events.emit("step.failed", { message, error, willRetry: true });
    throw error;
  } finally {
    stopHeartbeat();
  }
}

/** After a commit retried to `null`: queues the chain's next step if the first try had gone through. */
async function advanceIfCommitted(ctx: EngineContext, jobId: string, chain: SearchChain): Promise<void> {
  const job = await ctx.storage.getJob(jobId);
  if (!job || isTerminal(job.status)) return;
  const chains = await ctx.storage.listChains(jobId);
  const now = chains.find((c) => c.key === chain.key);
  if (now && now.step === chain.step + 1) await advance(ctx, job, now, chains);
}

/** Called by the queue when a step failed for good: the job ends with `error`. */
export async function onStepFailed(ctx: EngineContext, message: StepMessage, error: unknown): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  await finishJob(ctx, message.jobId, "error", "error", `Step ${message.chain}/${message.step} failed: ${reason}`);
}

/** Outcome of `cs.recoverStalled()`. */
export interface RecoverResult {
  /** Unfinished jobs looked at. */
  jobs: number;
  /** Jobs ended (timeout, or a stop condition met but not recorded). */
  finished: number;
  /** Steps queued again. */
  requeued: number;
}

/**
 * Heals what a crash can leave behind: times out overdue jobs, finishes jobs whose stop
 * condition was met, and re-enqueues every live chain with no unexpired lease. Re-enqueueing a
 * step that is still queued is harmless: the idempotency key collapses it, and a duplicate
 * delivery loses its claim.
 */
export async function recoverStalled(ctx: EngineContext): Promise<RecoverResult> {
  const result: RecoverResult = { jobs: 0, finished: 0, requeued: 0 };
  const pageSize = 100;
  // Jobs finished here drop out of the unfinished list, so the offset only skips the others.
  for (let offset = 0; ; ) {
    const jobs = await ctx.storage.listUnfinishedJobs({ limit: pageSize, offset });
    const finishedBefore = result.finished;
    for (const job of jobs) {
      result.jobs += 1;
      const now = ctx.now();
      if (now >= job.timeoutAt) {
        if (await finishJob(ctx, job.id, "timeout", "timeout", timeoutMessage(job))) result.finished += 1;
        continue;
      }
      const chains = await ctx.storage.listChains(job.id);
      const reason = stopReasonOf(ctx, job, chains);
      if (reason) {
        if (await finishJob(ctx, job.id, "completed", reason)) result.finished += 1;
        continue;
      }
      if (takesNoMorePages(ctx, job)) continue; // waiting for in-flight steps
      for (const chain of chains) {
        const leased = chain.leaseOwner && chain.leaseExpiresAt && chain.leaseExpiresAt > now;
        if (chain.exhausted || leased) continue;
        await enqueueStep(ctx, { jobId: job.id, chain: chain.key, step: chain.step });
        result.requeued += 1;
      }
    }
    if (jobs.length < pageSize) break;
    offset += jobs.length - (result.finished - finishedBefore);
  }
  return result;
}
