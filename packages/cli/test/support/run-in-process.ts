import { Writable } from "node:stream";
import { run } from "../../src/program.js";
import type { CliResult } from "./run-cli.js";

/** A stream that hands what is written to `append`. */
const sink = (append: (s: string) => void) =>
  new Writable({
    write(chunk, _encoding, done) {
      append(String(chunk));
      done();
    },
  });

/**
 * Runs the CLI's `run()` in this process: fast, for the checks that end before a command opens
 * anything (the usage errors). What spawns servers or jobs belongs in a real process (`runCli`).
 */
export async function runInProcess(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    env: options.env ?? {},
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}
