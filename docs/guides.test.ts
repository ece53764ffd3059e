import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSandboxServer } from "@creatorsearch/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * Runs every ```ts block of docs/guides/*.md as a user would: a standalone module against the
 * sandbox API over HTTP. A `// prints: text` line means stdout must contain that text.
 */
const run = promisify(execFile);
const guidesDir = join(import.meta.dirname, "guides");
const guides = readdirSync(guidesDir).filter((f) => f.endsWith(".md"));

interface Snippet {
  line: number;
  code: string;
  prints: string[];
}

function snippetsOf(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  for (const match of markdown.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const code = match[1]!;
    const line = markdown.slice(0, match.index).split("\n").length;
    const prints = [...code.matchAll(/^\/\/ prints: (.+)$/gm)].map((m) => m[1]!);
    snippets.push({ line, code, prints });
  }
  return snippets;
}

describe("docs/guides snippets", () => {
  let sandbox: Awaited<ReturnType<typeof startSandboxServer>>;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandboxServer({ port: 0 });
    // Inside the repo so @creatorsearch/* resolve through the workspace.
    dir = await mkdtemp(join(import.meta.dirname, ".snippets-"));
  });
  afterAll(async () => {
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const guide of guides) {
    describe(guide, () => {
      const snippets = snippetsOf(readFileSync(join(guidesDir, guide), "utf8"));
      it("has snippets", () => expect(snippets.length).toBeGreaterThan(0));
      for (const snippet of snippets) {
        it(`snippet at line ${snippet.line}`, async () => {
          const file = join(dir, `${guide.replace(/\W/g, "_")}-${snippet.line}.ts`);
          await writeFile(file, snippet.code);
          const { stdout } = await run(process.execPath, ["--conditions=dev-source", "--import", "tsx", file], {
            cwd: dir,
            env: { ...process.env, SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url },
            timeout: 60_000,
          });
          for (const expected of snippet.prints) expect(stdout).toContain(expected);
        }, 90_000);
      }
    });
  }
});
