import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Authenticate, ConfigurationError, QSTASH_WEBHOOK_PATH, createHandler, devAuth, supabaseAuth } from "@creatorsearch/core";
import { toNodeHandler } from "@creatorsearch/core/node";
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
}

/** Which queue `serve` uses, checked before anything is opened: one line per mistake. */
function chooseQueue(io: CliIO, options: ServeOptions): Pick<RuntimeOptions, "redis" | "qstash"> & { description: string } {
  if (options.redis && options.qstashToken) throw new UsageError("serve takes one queue: --redis (BullMQ workers) or --qstash-token (QStash webhook), not both");
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
  return { description: "in this process" };
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
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  // Event streams never end on their own: drop open connections, then let steps in flight finish.
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await runtime.close();
  io.stdout.write("stopped\n");
  return EXIT.ok;
}

const createBase = (basePath: string) => `/${basePath.split("/").filter(Boolean).join("/")}`.replace(/^\/$/, "");
