import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Authenticate, ConfigurationError, createHandler, devAuth, supabaseAuth } from "@creatorsearch/core";
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
  const runtimeOptions: RuntimeOptions = {
    db: options.db,
    sandbox: options.sandbox ?? false,
    ...(options.redis ? { redis: { url: options.redis, role: "producer" as const } } : {}),
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
