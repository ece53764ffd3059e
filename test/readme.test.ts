import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSandboxServer } from "@creatorsearch/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");

/** The README's quickstart block, run as a user would run it, against the sandbox over HTTP. */
describe("README quickstart", () => {
  let sandbox: Awaited<ReturnType<typeof startSandboxServer>>;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandboxServer({ port: 0 });
    // Inside the repo so @creatorsearch/* resolve through the workspace.
    dir = await mkdtemp(join(root, "test", ".quickstart-"));
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs and finds 100 creators", async () => {
    const readme = await readFile(join(root, "README.md"), "utf8");
    const block = /<!-- quickstart:start -->\s*```ts\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(readme);
    expect(block, "README has a quickstart block").not.toBeNull();
    const file = join(dir, "quickstart.ts");
    await writeFile(file, block![1]!);
    const { stdout } = await run(process.execPath, ["--conditions=dev-source", "--import", "tsx", file], {
      cwd: dir,
      env: { ...process.env, SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url },
      timeout: 60_000,
    });
    const lines = stdout.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^completed 1\d\d @\S+( @\S+){9}$/);
    expect(lines.some((l) => /^\d+(\.\d+)?%$/.test(l))).toBe(true);
  }, 90_000);
});
