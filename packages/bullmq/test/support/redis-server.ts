/**
 * A `redis-server` of the test's own, on its own port, that the test may stop and restart (the
 * shared Redis on 6379 is never touched). No persistence: a restart loses every key, as a Redis
 * without AOF/RDB does, which is the hardest case for the queue.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";

const run = promisify(execFile);

export interface OwnRedisServer {
  url: string;
  port: number;
  /** Starts the server (again) on its port and resolves once it answers; no-op while it runs. */
  start(): Promise<void>;
  /** Stops the server (SIGTERM, as an orchestrator restarting it would) and waits for its exit. */
  stop(): Promise<void>;
  /** Stops, waits `downMs`, starts. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server and removes its directory. */
  cleanup(): Promise<void>;
}

/** Whether `redis-server` is installed; under `CI=true` a missing one throws instead. */
export async function redisServerInstalled(): Promise<boolean> {
  try {
    await run("redis-server", ["--version"]);
    return true;
  } catch (error) {
    if (process.env.CI === "true") throw new Error(`redis-server is required under CI=true: ${String(error)}`);
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts an own server; with `password`, clients must authenticate (`url` carries it). */
export async function startOwnRedisServer(options: { password?: string } = {}): Promise<OwnRedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "cs-redis-"));
  const pidFile = join(dir, "redis.pid");
  const url = `redis://${options.password ? `:${options.password}@` : ""}127.0.0.1:${port}`;
  let pid: number | undefined;

  const answers = async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  };
  const alive = (p: number) => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };

  const server: OwnRedisServer = {
    url,
    port,
    async start() {
      if (pid !== undefined && alive(pid)) return; // running already
      await run("redis-server", [
        "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--daemonize", "yes", "--pidfile", pidFile, "--dir", dir, "--logfile", join(dir, "redis.log"),
        ...(options.password ? ["--requirepass", options.password] : []),
      ]);
      const deadline = Date.now() + 10_000;
      while (!(await answers())) {
        if (Date.now() > deadline) throw new Error(`own redis-server on ${port} did not start`);
        await sleep(20);
      }
      pid = Number((await readFile(pidFile, "utf8")).trim());
    },
    async stop() {
      if (pid === undefined) return;
      const p = pid;
      pid = undefined;
      process.kill(p, "SIGTERM");
      const deadline = Date.now() + 10_000;
      while (alive(p)) {
        if (Date.now() > deadline) throw new Error(`own redis-server ${p} did not stop`);
        await sleep(10);
      }
    },
    async restart(downMs = 0) {
      await server.stop();
      await sleep(downMs);
      await server.start();
    },
    async cleanup() {
      await server.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
