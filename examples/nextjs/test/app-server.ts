import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const APP_DIR = join(import.meta.dirname, "..");
const NEXT_BIN = join(APP_DIR, "node_modules", ".bin", "next");

/** Runs a command to completion, keeping its output for the error message. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: APP_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(" ")} failed (${signal ?? code}):\n${output.slice(-4000)}`));
    });
  });
}

/**
 * Builds the workspace packages the app imports (Next resolves them to their `dist`, as a user's
 * install would, so a fresh clone or a changed package needs it), then `next build` into
 * `distDir` (its own folder, so a developer's `.next` is untouched). With `E2E_REUSE_BUILD=1` an
 * existing build is reused, for fast local iteration on the test itself.
 */
export async function buildApp(distDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (process.env.E2E_REUSE_BUILD === "1" && existsSync(join(APP_DIR, distDir, "BUILD_ID"))) return;
  // `^...`: the example's workspace dependencies (and theirs), not the example itself.
  await run("pnpm", ["--filter", "@creatorsearch/example-nextjs^...", "build"], env, 10 * 60_000);
  await run(NEXT_BIN, ["build"], { ...env, NEXT_DIST_DIR: distDir }, 15 * 60_000);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** `next start` on a free port; resolves once the API answers (401 to an anonymous call). */
export async function startApp(distDir: string, env: NodeJS.ProcessEnv): Promise<RunningApp> {
  const port = await freePort();
  const child: ChildProcess = spawn(NEXT_BIN, ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: APP_DIR,
    env: { ...env, NEXT_DIST_DIR: distDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(killer);
    }
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output.slice(-4000)}`);
    const status = await fetch(`${url}/api/campaigns`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 401) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer on ${url} within 120 s (last status ${status}):\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url, output: () => output, stop };
}
