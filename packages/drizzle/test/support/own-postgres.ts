import { execFile } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

/*
 * A Postgres cluster of a test's own, for tests that restart the server: initdb in a temp dir,
 * on a free port, its socket in that dir, removed by `destroy()`. Never the shared server.
 * Run as root (the project machine), initdb and pg_ctl run as the `postgres` user.
 */

const run = promisify(execFile);
const CI = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";

/** The newest installed `/usr/lib/postgresql/<major>/bin`, or `null`. */
function postgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).filter((d) => existsSync(join(root, d, "bin", "pg_ctl"))).sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], "bin") : null;
}

/** Why a cluster of our own cannot be started here, or `null` when it can. */
export function ownPostgresUnavailable(): string | null {
  if (!postgresBin()) return "no Postgres binaries under /usr/lib/postgresql/*/bin";
  if (process.getuid?.() !== 0) return "initdb must run as the postgres user, and these tests are not root";
  return null;
}

/** True when a cluster of our own can be started; else warns (skip), or throws under CI. */
export function canRunOwnPostgres(file: string): boolean {
  const why = ownPostgresUnavailable();
  if (why && CI) throw new Error(`[${file}] cannot start a Postgres cluster of its own (${why}); CI is set, so these tests fail instead of skipping.`);
  if (why) console.warn(`[${file}] SKIPPED: cannot start a Postgres cluster of its own (${why}).`);
  return !why;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running cluster of the test's own. */
export interface OwnPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth). */
  url: string;
  port: number;
  /** `pg_ctl restart -m fast`: every connection is terminated (57P01), the server is back when it resolves. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

/** Starts a fresh cluster on a free port; call `destroy()` after the test. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error("no Postgres binaries under /usr/lib/postgresql/*/bin");
  const dir = mkdtempSync(join(tmpdir(), "cs-own-pg-"));
  chmodSync(dir, 0o700);
  const data = join(dir, "data");
  const { uid, gid } = await userIds("postgres");
  chownSync(dir, uid, gid);
  const port = await freePort();
  const asPostgres = (cmd: string, args: string[], timeout = 60_000) => run("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { timeout });
  await asPostgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  // Quick and quiet: no fsync (a test cluster), a socket in our own dir, listening on 127.0.0.1 only.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
  const ctl = (args: string[]) => asPostgres("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", ...args]);
  const start = async () => {
    await ctl(["-o", serverOptions, "start"]);
  };
  await start();
  let destroyed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: async () => {
      await ctl(["-m", "fast", "-o", serverOptions, "restart"]);
    },
    stop: async () => {
      await ctl(["-m", "fast", "stop"]);
    },
    start,
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      await ctl(["-m", "immediate", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
