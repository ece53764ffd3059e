import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

/*
 * docs/guides/custom-platform.md: writes its `// file: <name>` blocks to disk, type-checks them
 * with the repo's compiler settings, and runs the guide's conformance test (which registers its
 * suite here, at collection time).
 */
const guide = readFileSync(join(import.meta.dirname, "../../../docs/guides/custom-platform.md"), "utf8");
const files = [...guide.matchAll(/```(?:ts|typescript)\n\/\/ file: (\S+)\n([\s\S]*?)```/g)].map((m) => ({ name: m[1]!, code: m[2]! }));
// Inside the repo, so @creatorsearch/* and zod resolve through the workspace.
const dir = join(import.meta.dirname, `.guide-custom-platform-${process.pid}`);
mkdirSync(dir, { recursive: true });
for (const file of files) writeFileSync(join(dir, file.name), `// file: ${file.name}\n${file.code}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/guides/custom-platform.md", () => {
  it("has the adapter and its conformance test", () => {
    expect(files.map((f) => f.name)).toEqual(["twitch.ts", "twitch.test.ts"]);
  });

  it("type-checks under the repo's strict settings", async () => {
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ extends: "../../../../tsconfig.base.json", compilerOptions: { noEmit: true }, include: ["*.ts"] }),
    );
    const result = await promisify(execFile)(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { timeout: 120_000 }).catch((e: { stdout: string }) => e);
    expect(result.stdout).toBe("");
  }, 120_000);
});

// The guide's test file: registers `platform conformance: twitch keyword`.
await import(pathToFileURL(join(dir, "twitch.test.ts")).href);
