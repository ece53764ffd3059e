import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The CLI's entry point, run from source as `pnpm creatorsearch` does. */
export const CLI_BIN = join(import.meta.dirname, "../../src/bin.ts");
// Resolved here, not by the child: the child runs in a temp directory where `tsx` is not installed.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** Preload that makes the packages named in CS_HIDE_PACKAGES look uninstalled (see hide-packages.mjs). */
const hidePackages = pathToFileURL(join(import.meta.dirname, "hide-packages.mjs")).href;

/** Node's arguments to run the CLI from source with `args`; `hide` adds the package-hiding preload. */
export const cliNodeArgs = (args: string[], { hide = false } = {}): string[] => [
  "--conditions=dev-source",
  "--import",
  tsxLoader,
  ...(hide ? ["--import", hidePackages] : []),
  CLI_BIN,
  ...args,
];

/** The test process's environment without the ScrapeCreators settings, so no test reaches the real API by accident. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const { SCRAPECREATORS_API_KEY: _k, SCRAPECREATORS_BASE_URL: _u, ...clean } = process.env;
  return { ...clean, ...extra } as NodeJS.ProcessEnv;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI in its own process and resolves with its exit code and output. `hide` names
 * packages to make look uninstalled, as in a registry install without the optional peers.
 */
export function runCli(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number; hide?: string[] }): Promise<CliResult> {
  const env = options.hide ? { ...options.env, CS_HIDE_PACKAGES: options.hide.join(",") } : options.env;
  return new Promise((resolve) => {
    execFile(process.execPath, cliNodeArgs(args, { hide: Boolean(options.hide) }), { cwd: options.cwd, env, timeout: options.timeoutMs ?? 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
