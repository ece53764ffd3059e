import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSandboxServer } from "@creatorsearch/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const example = join(import.meta.dirname, "..");
const root = join(example, "..", "..");

/** Runs a script of this example as `pnpm start` would, from source, in `cwd`. */
function runScript(script: string, cwd: string, env: Record<string, string | undefined>) {
  return run(process.execPath, ["--conditions=dev-source", "--import", "tsx", join(example, "src", script)], {
    cwd,
    env: { ...process.env, SCRAPECREATORS_API_KEY: undefined, SCRAPECREATORS_BASE_URL: undefined, ...env },
    timeout: 90_000,
  });
}

/** The last line is `completed <n> @h1 ... @h10`; earlier lines are progress percentages. */
function expectCompletedRun(stdout: string) {
  const lines = stdout.trim().split("\n");
  expect(lines.at(-1)).toMatch(/^completed 1\d\d @\S+( @\S+){9}$/);
  expect(lines.filter((l) => /^\d+(\.\d+)?%$/.test(l)).length).toBeGreaterThan(0);
}

describe("examples/quickstart", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(example, ".quickstart-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is the README's quickstart, byte for byte", async () => {
    const readme = await readFile(join(root, "README.md"), "utf8");
    const block = /<!-- quickstart:start -->\s*```ts\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(readme);
    expect(block, "README has a quickstart block").not.toBeNull();
    expect(await readFile(join(example, "src", "quickstart.ts"), "utf8")).toBe(block![1]);
  });

  it("start:sandbox finds 100 creators into ./creatorsearch.db with no key", async () => {
    const cwd = await mkdtemp(join(dir, "sandbox-"));
    const { stdout } = await runScript("with-sandbox.ts", cwd, {});
    expectCompletedRun(stdout);
    expect((await stat(join(cwd, "creatorsearch.db"))).size).toBeGreaterThan(0);
  }, 120_000);

  it("start runs against the API named by SCRAPECREATORS_BASE_URL", async () => {
    const sandbox = await startSandboxServer({ port: 0 });
    try {
      const cwd = await mkdtemp(join(dir, "env-"));
      const { stdout } = await runScript("quickstart.ts", cwd, { SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url });
      expectCompletedRun(stdout);
      expect(sandbox.sandbox.requestCount("/v1/tiktok/search/keyword")).toBeGreaterThan(0);
    } finally {
      await sandbox.close();
    }
  }, 120_000);

  it("start without a key exits non-zero with a message naming the variable", async () => {
    const cwd = await mkdtemp(join(dir, "nokey-"));
    const failure = await runScript("quickstart.ts", cwd, {}).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure, "the script must fail without a key").not.toBeNull();
    expect(failure!.code).not.toBe(0);
    expect(failure!.stderr).toContain("SCRAPECREATORS_API_KEY");
  }, 120_000);
});
