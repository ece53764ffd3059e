import EventEmitter from "eventemitter3";
import { ConfigurationError, NotFoundError, ValidationError } from "../errors.js";
import { type RequestHandler, createHandler } from "../http/handler.js";
import { type HttpOptions, resolveHttpOptions } from "../http/options.js";
import {
  type Campaign,
  type CreateCampaignInput,
  CreateCampaignInputSchema,
  type UpdateCampaignInput,
  UpdateCampaignInputSchema,
} from "../model/campaign.js";
import type { JobCreator } from "../model/creator.js";
import { type JobStatus, type SearchChain, type SearchJob, isTerminal } from "../model/job.js";
import type { PlatformAdapter } from "../platforms/types.js";
import type { QueueAdapter, QueueConsumer } from "../queue/types.js";
import type { CampaignPatch, PrunePagesResult, StorageAdapter } from "../storage/types.js";
import { parseInput } from "../util/zod.js";
import { DEFAULT_LIMITS, type EngineContext, type Limits } from "./context.js";
import type { CreatorSearchEmitter, CreatorSearchEvents } from "./events.js";
import { toCsvChunk, toJsonCreator } from "./export.js";
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, HAND_BACK_TIMEOUT_MS, settlesWithin, unlessShutdown } from "./shutdown.js";
import { type ResumePoint, resumePoints } from "./resume.js";
import { type RosterApi, createRosterApi } from "./roster.js";
import { type RecoverResult, enqueueStep, finishJob, onStepFailed, recoverStalled, runStep } from "./step.js";
import { ListInputSchema, ResultsListInputSchema, type StartJobInput, StartJobInputSchema } from "./validation.js";

/** Options of {@link createCreatorSearch}. */
export interface CreatorSearchOptions {
  /** Where campaigns, jobs and creators are stored (`sqliteStorage`, `postgresStorage`, `memoryStorage`). */
  storage: StorageAdapter;
  /** How steps are delivered (`memoryQueue`, `bullmqQueue`, `qstashQueue`). */
  queue: QueueAdapter;
  /** Platforms jobs may search (`tiktok()`...). */
  platforms: PlatformAdapter[];
  /** Budget, timeout and stop rules; see {@link Limits}. */
  limits?: Partial<Limits>;
  /**
   * Consume steps in this process (pull queues). Default `true`. Set `false` in a process that
   * only starts jobs while separate workers run them.
   */
  worker?: boolean;
  /**
   * Run `recoverStalled()` every this many ms (and once at start-up) in worker processes.
   * Default 60 000; 0 turns it off.
   */
  recoverIntervalMs?: number;
  /**
   * How long `close()` lets the steps in flight finish. Past it, each is aborted: it releases its
   * lease and hands its message back to the queue, so another worker takes it at once (if storage
   * is unreachable, the lease simply expires). Default 30 000.
   */
  shutdownTimeoutMs?: number;
  /** Identifies this process in step leases. Default: a random id. */
  workerId?: string;
  /** Clock, for tests. */
  now?: () => Date;
  /**
   * Serve the HTTP routes through `cs.handler` / `cs.fetch`: `authenticate` is required, see
   * {@link HttpOptions}. Without it, `cs.handler` throws a `ConfigurationError`.
   */
  http?: HttpOptions;
}

/** One page of results. */
export interface ResultsPage {
  items: JobCreator[];
  /**
   * Where to resume: pass as `after` to get the creators found after this page. It stays
   * usable when the page is the last one (it then repeats `after`), so a polling UI can keep
   * it and ask again later for creators a running job has added since. `null` only when
   * nothing has been returned yet.
   */
  nextCursor: string | null;
  /** Whether more creators exist after this page right now; stop a read-everything loop on `false`. */
  hasMore: boolean;
}

/** The SDK's central object; see {@link createCreatorSearch}. */
export interface CreatorSearch {
  campaigns: {
    /** Creates a campaign (status `draft`) owned by `userId`. */
    create(userId: string, input: CreateCampaignInput): Promise<Campaign>;
    /** The campaign, or `null` if it does not exist or belongs to another user. */
    get(userId: string, id: string): Promise<Campaign | null>;
    /** The user's campaigns, newest first. */
    list(userId: string, options?: { limit?: number; offset?: number; includeArchived?: boolean }): Promise<Campaign[]>;
    /** Updates a campaign; `archived: true` archives it. Throws `NotFoundError`. */
    update(userId: string, id: string, input: UpdateCampaignInput): Promise<Campaign>;
    /**
     * The campaign's roster: every creator any of its jobs found, once, with the team's
     * status, notes and tags; see {@link RosterApi}.
     */
    creators: RosterApi;
  };
  jobs: {
    /** Validates the input, creates the job and its chains, and queues the first steps. */
    start(userId: string, input: StartJobInput): Promise<SearchJob>;
    /** The job, or `null` if it does not exist or belongs to another user. */
    get(userId: string, id: string): Promise<SearchJob | null>;
    /** The user's jobs, newest first. */
    list(userId: string, options?: { campaignId?: string; status?: JobStatus; limit?: number; offset?: number }): Promise<SearchJob[]>;
    /** The job's chains (one per keyword or handle) with their cursors. */
    chains(userId: string, id: string): Promise<SearchChain[]>;
    /** Cancels a running job; a finished job is returned as it is. Throws `NotFoundError`. */
    cancel(userId: string, id: string): Promise<SearchJob>;
    /**
     * Resolves with the job once it is terminal. Listens to this process's events and polls
     * storage (so it also sees jobs run by other processes). Throws `NotFoundError`.
     */
    wait(userId: string, id: string, options?: { timeoutMs?: number; pollMs?: number; signal?: AbortSignal }): Promise<SearchJob>;
  };
  results: {
    /** Creators of a job in first-seen order; pass `nextCursor` as `after` for the next page while `hasMore`. */
    list(userId: string, input: { jobId: string; after?: string | null; limit?: number }): Promise<ResultsPage>;
    /** Every creator of a job, read in batches (bounded memory). */
    iterate(userId: string, jobId: string, options?: { batchSize?: number }): AsyncIterable<JobCreator>;
    /** The job's creators as CSV or a JSON array, streamed in chunks of text. */
    export(userId: string, input: { jobId: string; format: "csv" | "json" }): AsyncIterable<string>;
  };
  maintenance: {
    /**
     * Drops the raw pages the storage's `rawPages` setting no longer keeps (pages stored before
     * it, or older than `keepDays`), never one a step may still need; resolves with the pages
     * and bytes dropped. `dryRun` only counts them; `vacuum` also hands the space back to the
     * file system (see `PrunePagesRequest`).
     */
    prune(options?: { dryRun?: boolean; vacuum?: boolean }): Promise<PrunePagesResult>;
  };
  /** Typed events (an eventemitter3 emitter at run time); see {@link CreatorSearchEvents}. */
  events: CreatorSearchEmitter;
  /**
   * The HTTP routes as a Web handler (`Request` in, `Response` out), configured by the `http`
   * option. Mount it with `toNextHandler(cs)`, `toNodeHandler(cs)` or `toExpressHandler(cs)`.
   */
  handler: RequestHandler;
  /** Same as {@link CreatorSearch.handler}, named for runtimes that take `{ fetch }` (Bun, Deno, Workers). */
  fetch: RequestHandler;
  /**
   * Hands an HTTP delivery of a push queue (QStash) to the queue adapter's `receive`, which
   * verifies it and runs the step. Answers 404 when the queue is not a push queue.
   */
  receiveDelivery(request: Request): Promise<Response>;
  /** Runs one step delivery (what queues call; exposed for push queues and tests). */
  runStep(message: { jobId: string; chain: string; step: number }): Promise<void>;
  /** Re-enqueues steps a crash left behind and ends overdue jobs. */
  recoverStalled(): Promise<RecoverResult>;
  /**
   * Stops the recovery timer, closes the queue (no new steps) and waits for the steps in flight,
   * at most `timeoutMs` (default: the `shutdownTimeoutMs` option); steps still running then are
   * handed back (see {@link CreatorSearchOptions.shutdownTimeoutMs}). Closes storage last. Always
   * resolves within about `timeoutMs` + 10 s, whatever state Redis or the database are in.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
  /** The configured limits. */
  readonly limits: Limits;
  /** The configured platforms by id. */
  readonly platforms: ReadonlyMap<string, PlatformAdapter>;
}

/** Jobs whose owner a process remembers having checked (see `checkOwner`). */
const CHECKED_OWNERS_KEPT = 10_000;

/** Resolves after `ms`, or early on abort; leaves no listener behind either way. */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

function requireUser(userId: string): string {
  if (typeof userId !== "string" || !userId.trim()) {
    throw new ValidationError([{ field: "userId", reason: "is required" }]);
  }
  return userId;
}

/**
 * Creates the SDK's central object.
 *
 * @example
 * ```ts
 * const cs = createCreatorSearch({
 *   storage: sqliteStorage({ file: "creatorsearch.db" }),
 *   queue: memoryQueue({ concurrency: 4 }),
 *   platforms: [tiktok()],
 * });
 * const campaign = await cs.campaigns.create(userId, { name: "Fall soups" });
 * const job = await cs.jobs.start(userId, { campaignId: campaign.id, platform: "tiktok", keywords: ["soup"] });
 * await cs.jobs.wait(userId, job.id);
 * ```
 */
export function createCreatorSearch(options: CreatorSearchOptions): CreatorSearch {
  const platforms = new Map<string, PlatformAdapter>();
  for (const p of options.platforms) {
    if (platforms.has(p.id)) throw new ConfigurationError(`Platform "${p.id}" is configured twice`);
    platforms.set(p.id, p);
  }
  if (platforms.size === 0) throw new ConfigurationError("At least one platform is required, e.g. platforms: [tiktok()]");
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  if (!Number.isFinite(shutdownTimeoutMs) || shutdownTimeoutMs < 0) {
    throw new ConfigurationError(`shutdownTimeoutMs must be a number of ms >= 0 (got ${shutdownTimeoutMs})`);
  }
  const shutdown = new AbortController();
  // Resolved before anything starts, so a missing `authenticate` fails at start-up with no side effect.
  const http = options.http ? resolveHttpOptions(options.http) : undefined;
  const ctx: EngineContext = {
    storage: options.storage,
    queue: options.queue,
    platforms,
    limits,
    // An untyped eventemitter3 emitter satisfies the typed interface (listeners take any arguments).
    events: new EventEmitter(),
    workerId: options.workerId ?? `w-${globalThis.crypto.randomUUID().slice(0, 8)}`,
    now: options.now ?? (() => new Date()),
    shutdown: shutdown.signal,
  };
  const { storage } = ctx;
  let closing: Promise<void> | undefined;
  let recoverTimer: ReturnType<typeof setInterval> | undefined;

  const ownJob = async (userId: string, id: string): Promise<SearchJob> => {
    const job = await storage.getJob(id, requireUser(userId));
    if (!job) throw new NotFoundError("Job", id);
    return job;
  };

  // A job never changes owner: once a results read has checked it, the next reads of that job
  // by that user skip the job read (a poll reads a results page every few seconds). Bounded.
  const checkedOwners = new Map<string, string>();
  const checkOwner = async (userId: string, jobId: string): Promise<void> => {
    if (checkedOwners.get(jobId) === userId) return;
    await ownJob(userId, jobId);
    checkedOwners.set(jobId, userId);
    if (checkedOwners.size > CHECKED_OWNERS_KEPT) checkedOwners.delete(checkedOwners.keys().next().value!);
  };

  const recover = () => recoverStalled(ctx);

  const consumer: QueueConsumer = {
    // A step stuck past the shutdown timeout (e.g. on a database that does not answer) is given
    // up here, so the queue can hand its message back; its writes are conditioned on its lease.
    handle: (message, delivery) => unlessShutdown(runStep(ctx, message, delivery), shutdown.signal),
    onFailed: (message, error) => onStepFailed(ctx, message, error),
    recover: async () => {
      if (!closing) await recover();
    },
  };

  if (options.worker !== false && options.queue.start) {
    void options.queue.start(consumer);
    const interval = options.recoverIntervalMs ?? 60_000;
    if (interval > 0) {
      // Start-up pass heals what the previous process left behind; errors surface on the next pass.
      void recover().catch(() => undefined);
      recoverTimer = setInterval(() => void recover().catch(() => undefined), interval);
      recoverTimer.unref?.();
    }
  }

  async function* iterate(userId: string, jobId: string, { batchSize = 500 } = {}): AsyncIterable<JobCreator> {
    await checkOwner(userId, jobId);
    let after = 0;
    for (;;) {
      const batch = await storage.listCreators(jobId, { after, limit: batchSize });
      yield* batch;
      if (batch.length < batchSize) return;
      after = batch[batch.length - 1]!.seq;
    }
  }

  let handle: RequestHandler = async () => {
    throw new ConfigurationError("cs.handler needs the http option: createCreatorSearch({ ..., http: { authenticate } })");
  };
  const handler: RequestHandler = (request) => handle(request);

  const cs: CreatorSearch = {
    limits,
    platforms,
    events: ctx.events,
    handler,
    fetch: handler,

    campaigns: {
      async create(userId, input) {
        const data = parseInput(CreateCampaignInputSchema, input);
        const now = ctx.now();
        return storage.createCampaign({
          id: globalThis.crypto.randomUUID(),
          userId: requireUser(userId),
          name: data.name,
          description: data.description ?? null,
          searchType: data.searchType,
          status: "draft",
          platforms: data.platforms,
          createdAt: now,
          updatedAt: now,
          archivedAt: null,
        });
      },
      get: (userId, id) => storage.getCampaign(requireUser(userId), id),
      async list(userId, opts = {}) {
        const { limit, offset } = parseInput(ListInputSchema, { limit: opts.limit, offset: opts.offset });
        return storage.listCampaigns(requireUser(userId), { limit, offset, includeArchived: opts.includeArchived ?? false });
      },
      async update(userId, id, input) {
        const { archived, ...rest } = parseInput(UpdateCampaignInputSchema, input);
        const now = ctx.now();
        const patch: CampaignPatch = { ...rest, ...(archived === undefined ? {} : { archivedAt: archived ? now : null }) };
        const campaign = await storage.updateCampaign(requireUser(userId), id, patch, now);
        if (!campaign) throw new NotFoundError("Campaign", id);
        return campaign;
      },
      creators: createRosterApi(storage, requireUser, ctx.now),
    },

    jobs: {
      async start(userId, input) {
        requireUser(userId);
        const data = parseInput(StartJobInputSchema, input);
        const platform = platforms.get(data.platform);
        if (!platform) {
          throw new ValidationError([
            { field: "platform", reason: `must be one of ${[...platforms.keys()].join(", ")} (got "${data.platform}")` },
          ]);
        }
        if (data.maxApiCalls !== undefined && data.maxApiCalls > limits.maxApiCallsPerJob) {
          throw new ValidationError([{ field: "maxApiCalls", reason: `must be at most ${limits.maxApiCallsPerJob}` }]);
        }
        const campaign = await storage.getCampaign(userId, data.campaignId);
        if (!campaign) throw new NotFoundError("Campaign", data.campaignId);
        const seeds = platform.planChains({ mode: data.mode, keywords: data.keywords, targetHandle: data.targetHandle ?? null });

        const now = ctx.now();
        const job: SearchJob = {
          id: globalThis.crypto.randomUUID(),
          userId,
          campaignId: campaign.id,
          platform: platform.id,
          mode: data.mode,
          keywords: data.keywords,
          targetHandle: data.targetHandle ?? null,
          targetResults: data.targetResults,
          status: "pending",
          processedRuns: 0,
          processedResults: 0,
          filtered: 0,
          skippedKnown: 0,
          progress: 0,
          apiCalls: 0,
          dryPages: 0,
          stopReason: null,
          error: null,
          options: {
            ...(data.maxApiCalls === undefined ? {} : { maxApiCalls: data.maxApiCalls }),
            ...(data.enrich === undefined ? {} : { enrich: data.enrich }),
            ...(data.filters ? { filters: data.filters } : {}),
            ...(data.onlyNew ? { onlyNew: true } : {}),
          },
          timeoutAt: new Date(now.getTime() + limits.jobTimeoutMs),
          createdAt: now,
          updatedAt: now,
          startedAt: null,
          completedAt: null,
        };
        const resume = data.onlyNew ? await resumePoints(storage, job, seeds.map((s) => s.input)) : new Map<string, ResumePoint>();
        const chains: SearchChain[] = seeds.map((s) => {
          const from = resume.get(s.input.toLowerCase());
          return {
            jobId: job.id,
            key: s.key,
            input: s.input,
            cursor: from?.cursor ?? null,
            step: 0,
            exhausted: from?.exhausted ?? false,
            leaseOwner: null,
            leaseExpiresAt: null,
            updatedAt: now,
          };
        });
        if (resume.size) job.options.resumedFrom = Object.fromEntries([...resume].map(([input, p]) => [input, p.fromJobId]));
        await storage.createJob(job, chains);
        if (campaign.status === "draft") await storage.updateCampaign(userId, campaign.id, { status: "active" }, now);
        ctx.events.emit("job.created", { job });
        if (chains.every((c) => c.exhausted)) {
          // Every keyword was paged to its end by earlier jobs: nothing new to buy.
          return (await finishJob(ctx, job.id, "completed", "exhausted")) ?? job;
        }
        // A crash before every chain is queued is healed by recoverStalled().
        for (const chain of chains) if (!chain.exhausted) await enqueueStep(ctx, { jobId: job.id, chain: chain.key, step: 0 });
        return job;
      },
      get: (userId, id) => storage.getJob(id, requireUser(userId)),
      async list(userId, opts = {}) {
        const { limit, offset } = parseInput(ListInputSchema, { limit: opts.limit, offset: opts.offset });
        return storage.listJobs(requireUser(userId), {
          limit,
          offset,
          ...(opts.campaignId ? { campaignId: opts.campaignId } : {}),
          ...(opts.status ? { status: opts.status } : {}),
        });
      },
      async chains(userId, id) {
        await ownJob(userId, id);
        return storage.listChains(id);
      },
      async cancel(userId, id) {
        const job = await ownJob(userId, id);
        if (isTerminal(job.status)) return job;
        return (await finishJob(ctx, id, "cancelled", "cancelled")) ?? (await ownJob(userId, id));
      },
      async wait(userId, id, { timeoutMs, pollMs = 500, signal } = {}) {
        const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
        const finished = new AbortController();
        const onFinish = ({ job }: { job: SearchJob }) => job.id === id && finished.abort();
        ctx.events.on("job.finished", onFinish);
        const combined = signal ? AbortSignal.any([signal, finished.signal]) : finished.signal;
        try {
          for (;;) {
            const job = await ownJob(userId, id);
            if (isTerminal(job.status)) return job;
            if (signal?.aborted) throw signal.reason ?? new Error("aborted");
            if (Date.now() >= deadline) throw new Error(`Job ${id} did not finish within ${timeoutMs} ms`);
            await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())), combined);
          }
        } finally {
          ctx.events.off("job.finished", onFinish);
        }
      },
    },

    results: {
      async list(userId, input) {
        const { jobId, after, limit } = parseInput(ResultsListInputSchema, input);
        await checkOwner(userId, jobId);
        // One row more than asked tells whether another page exists without a count query.
        const rows = await storage.listCreators(jobId, { after: after ? Number(after) : 0, limit: limit + 1 });
        const items = rows.slice(0, limit);
        const last = items[items.length - 1];
        return { items, nextCursor: last ? String(last.seq) : (after ?? null), hasMore: rows.length > limit };
      },
      iterate,
      async *export(userId, { jobId, format }) {
        if (format !== "csv" && format !== "json") {
          throw new ValidationError([{ field: "format", reason: 'must be "csv" or "json"' }]);
        }
        let batch: JobCreator[] = [];
        let first = true;
        const flush = () => {
          const chunk =
            format === "csv"
              ? toCsvChunk(batch, first)
              : (first ? "[\n" : ",\n") + batch.map((c) => JSON.stringify(toJsonCreator(c))).join(",\n");
          first = false;
          batch = [];
          return chunk;
        };
        for await (const creator of iterate(userId, jobId)) {
          batch.push(creator);
          if (batch.length === 500) yield flush();
        }
        if (batch.length || first) {
          if (format === "csv") yield flush();
          else if (batch.length) yield flush();
        }
        if (format === "json") yield first ? "[]\n" : "\n]\n";
      },
    },

    maintenance: {
      prune: (input = {}) => storage.prunePages({ now: ctx.now(), ...(input.dryRun ? { dryRun: true } : {}), ...(input.vacuum ? { vacuum: true } : {}) }),
    },

    async receiveDelivery(request) {
      if (!options.queue.receive) {
        return Response.json({ error: `queue "${options.queue.id}" does not take HTTP deliveries`, issues: [] }, { status: 404 });
      }
      return options.queue.receive(request, consumer);
    },
    runStep: (message) => runStep(ctx, message),
    recoverStalled: recover,
    close({ timeoutMs = shutdownTimeoutMs } = {}) {
      closing ??= (async () => {
        if (recoverTimer) clearInterval(recoverTimer);
        const { queue } = options;
        let failure: { error: unknown } | undefined;
        const noting = (promise: Promise<void>) => promise.catch((error: unknown) => void (failure ??= { error }));
        const drained = noting(queue.close());
        if (!(await settlesWithin(drained, timeoutMs))) {
          shutdown.abort(); // steps in flight release their lease and hand their message back
          if (!(await settlesWithin(drained, HAND_BACK_TIMEOUT_MS))) await settlesWithin(noting(queue.close({ force: true })), HAND_BACK_TIMEOUT_MS);
        }
        // A database that does not answer cannot hold the process: what it missed, leases heal.
        await settlesWithin(noting(storage.close()), HAND_BACK_TIMEOUT_MS);
        if (failure) throw failure.error;
      })();
      return closing;
    },
  };
  if (http) handle = createHandler(cs, http);
  return cs;
}
