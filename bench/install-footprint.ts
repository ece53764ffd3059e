/**
 * Install footprint (packages, MB on disk) of a core-only install, of the README's SQLite
 * quickstart line and of the CLI, installed with npm from a private registry the way a user
 * installs them, and the CPU `creatorsearch --help` costs at start-up. Needs `pnpm build` first.
 * The figures come from scripts/consumer/footprint-bench.mjs, which the consumer test shares.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

export async function installFootprintBench(): Promise<Record<string, string | number>> {
  const script = join(import.meta.dirname, "../scripts/consumer/footprint-bench.mjs");
  const { stdout } = await promisify(execFile)(process.execPath, [script], { maxBuffer: 16 * 1024 * 1024, timeout: 20 * 60_000 });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, string>;
}
