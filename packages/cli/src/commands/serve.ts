import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { type Authenticate, ConfigurationError, type MemoryQueue, QSTASH_WEBHOOK_PATH, createHandler, devAuth, supabaseAuth } from "@creatorsearch/core";
import { toNodeHandler } from "@creatorsearch/core/node";
import { MAX_LOOP_DELAY_MS, STEP_CONCURRENCY, UPSTREAM_CONCURRENCY } from "../defaults.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import { listenError } from "../listen.js";
import { type RuntimeOptions, openRuntime } from "../runtime.js";

export interface ServeOptions {
  port: number;
  host: string;
  db: string;
  basePath: string;
  sandbox?: boolean;
  devAuth?: boolean;
  /** Enqueue on BullMQ at this Redis URL instead of running steps here (`creatorsearch worker` runs them). */
  redis?: string;
  /** BullMQ queue name (with `redis`). */
  queue?: string;
  /** Publish steps on QStash; QStash delivers them to this server's webhook. */
  qstashToken?: string;
  /** QStash API URL (a self-hosted or dev server). */
  qstashUrl?: string;
  /** This server's public URL, as QStash reaches it. */
  publicUrl?: string;
  /** How long closing waits for steps in flight before handing them back. */
  shutdownTimeout?: number;
  /** Steps run at once in this process (the in-process queue's concurrency). */
  concurrency?: number;
  /** ScrapeCreators calls in flight at once. */
  upstreamConcurrency?: number;
  /** No step starts while the event loop is this many ms late; 0 turns it off. Default {@link MAX_LOOP_DELAY_MS}. */
  maxLoopDelay?: number;
  /** One stderr line every 10 s (`true`) or every this many seconds: event-loop delay and steps in the queue. */
  debug?: boolean | number;
}

/** How often `--debug` reports when given no interval. */
const DEBUG_INTERVAL_S = 10;

/** Which queue `serve` uses, checked before anything is opened: one line per mistake. */
function chooseQueue(io: CliIO, options: ServeOptions): Pick<RuntimeOptions, "redis" | "qstash"> & { description: string } {
  if (options.redis && options.qstashToken) throw new UsageError("serve takes one queue: --redis (BullMQ workers) or --qstash-token (QStash webhook), not both");
  // With --redis this process only enqueues: the workers run the steps and call the API.
  for (const [flag, value] of [["--concurrency", options.concurrency], ["--upstream-concurrency", options.upstreamConcurrency], ["--max-loop-delay", options.maxLoopDelay]] as const) {
    if (options.redis && value !== undefined) throw new UsageError(`${flag} does not apply with --redis: steps run on the workers (set \`creatorsearch worker --concurrency\`)`);
  }
  // QStash decides how many deliveries run at once (its parallelism setting), not this process.
  if (options.qstashToken && options.concurrency !== undefined) throw new UsageError("--concurrency does not apply with --qstash-token: QStash's parallelism decides how many steps run at once");
  if (!options.qstashToken) {
    const stray = options.qstashUrl ? "--qstash-url" : options.publicUrl ? "--public-url" : undefined;
    if (stray) throw new UsageError(`${stray} needs --qstash-token`);
  }
  if (options.redis) {
    if (options.sandbox) {
      throw new UsageError(
        "--sandbox runs the API inside this process, where workers cannot reach it: start `creatorsearch sandbox` and give the workers SCRAPECREATORS_BASE_URL instead",
      );
    }
    const queueName = options.queue;
    const { hostname, port } = new URL(options.redis); // parsed by the flag already; no password shown
    return {
      redis: { url: options.redis, role: "producer", ...(queueName ? { queueName } : {}) },
      description: `BullMQ at ${hostname}:${port || 6379}${queueName ? `, queue ${queueName}` : ""} (run steps with \`creatorsearch worker --redis ...\`)`,
    };
  }
  if (options.qstashToken) {
    if (!options.publicUrl) {
      throw new UsageError("--qstash-token needs --public-url: this server's URL as QStash reaches it, e.g. https://api.example.com");
    }
    const missing = ["QSTASH_CURRENT_SIGNING_KEY", "QSTASH_NEXT_SIGNING_KEY"].filter((name) => !io.env[name]);
    if (missing.length) throw new UsageError(`--qstash-token needs the QStash signing keys: set ${missing.join(" and ")}`);
    const callbackUrl = `${options.publicUrl.replace(/\/+$/, "")}${createBase(options.basePath)}${QSTASH_WEBHOOK_PATH}`;
    return {
      qstash: { token: options.qstashToken, callbackUrl, env: io.env, ...(options.qstashUrl ? { baseUrl: options.qstashUrl } : {}) },
      description: `QStash, delivering to ${callbackUrl}`,
    };
  }
  const steps = options.concurrency ?? STEP_CONCURRENCY;
  const calls = options.upstreamConcurrency ?? UPSTREAM_CONCURRENCY;
  const delay = options.maxLoopDelay ?? MAX_LOOP_DELAY_MS;
  const pressure = delay ? `, none started while the event loop is over ${delay} ms late` : "";
  return { description: `in this process (${steps} at once, ${calls} API calls in flight${pressure})` };
}

/** `--dev-auth` trusts `x-user-id`; otherwise Supabase tokens are verified with SUPABASE_JWT_SECRET. */
function chooseAuth(io: CliIO, options: ServeOptions): { authenticate: Authenticate; description: string } {
  try {
    if (options.devAuth) return { authenticate: devAuth({ env: io.env }), description: "dev auth: the x-user-id header is trusted (local use only)" };
    const jwtSecret = io.env.SUPABASE_JWT_SECRET;
    if (!jwtSecret) {
      throw new UsageError("serve needs a way to authenticate users: set SUPABASE_JWT_SECRET (Supabase access tokens), or add --dev-auth for local use (trusts the x-user-id header).");
    }
    const issuer = io.env.SUPABASE_JWT_ISSUER;
    return { authenticate: supabaseAuth({ jwtSecret, ...(issuer ? { issuer } : {}) }), description: "Supabase access tokens (Authorization: Bearer)" };
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(error.message);
    throw error;
  }
}

/** `creatorsearch serve`: the HTTP API on Node's http server until SIGINT / SIGTERM. */
export async function serveCommand(io: CliIO, options: ServeOptions): Promise<number> {
  const auth = chooseAuth(io, options);
  const { description: queueDescription, ...queue } = chooseQueue(io, options);
  const runtimeOptions: RuntimeOptions = {
    db: options.db,
    sandbox: options.sandbox ?? false,
    ...queue,
    ...(options.shutdownTimeout !== undefined ? { shutdownTimeoutMs: options.shutdownTimeout } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.upstreamConcurrency !== undefined ? { upstreamConcurrency: options.upstreamConcurrency } : {}),
    // The loop that runs the steps also answers every request: it stays responsive by default.
    maxLoopDelayMs: options.maxLoopDelay ?? MAX_LOOP_DELAY_MS,
  };
  const runtime = await openRuntime(io, runtimeOptions);
  const handler = createHandler(runtime.cs, {
    authenticate: auth.authenticate,
    basePath: options.basePath,
    onError: (error) => io.stderr.write(`request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
  });
  const server = createServer(toNodeHandler(handler));
  try {
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(options.port, options.host, () => resolve()));
  } catch (error) {
    await runtime.close();
    throw listenError(error, options.port, options.host);
  }
  const { port } = server.address() as AddressInfo;
  const base = `http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}${createBase(options.basePath)}`;
  io.stdout.write(
    `creatorsearch API listening on ${base}\n` +
      `  database ${runtime.dbFile}${options.sandbox ? " (sandbox API, no credits spent)" : ""}\n` +
      `  auth: ${auth.description}\n` +
      `  steps: ${queueDescription}\n` +
      "Press Ctrl+C to stop.\n",
  );
  const stopDebug = options.debug ? startDebugReport(io, runtime.memoryQueue, options.debug === true ? DEBUG_INTERVAL_S : options.debug) : undefined;
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  stopDebug?.();
  // Event streams never end on their own: drop open connections, then let steps in flight finish.
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await runtime.close();
  io.stdout.write("stopped\n");
  return EXIT.ok;
}

/**
 * `--debug`: one stderr line per interval with the event-loop delay over it (how long a request
 * waited for the loop that also runs the steps) and the steps queued or running here.
 */
function startDebugReport(io: CliIO, queue: MemoryQueue | undefined, seconds: number): () => void {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  const timer = setInterval(() => {
    const steps = queue ? `; steps running ${queue.running} of ${queue.concurrency} at once, ${queue.size - queue.running} waiting or delayed` : "";
    io.stderr.write(`debug: event-loop delay p50 ${ms(loop.percentile(50))} ms, p99 ${ms(loop.percentile(99))} ms, max ${ms(loop.max)} ms${steps}\n`);
    loop.reset();
  }, seconds * 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    loop.disable();
  };
}

const createBase = (basePath: string) => `/${basePath.split("/").filter(Boolean).join("/")}`.replace(/^\/$/, "");
