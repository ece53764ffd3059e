/**
 * The CLI as a registry install has it: without its optional peers (postgres.js, BullMQ) the
 * default path works, and a flag that needs one says which `npm install` in one line, exit 2.
 * The packages are hidden from Node's resolver (test/support/hide-packages.mjs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, cleanEnv, cliNodeArgs, runCli } from "./support/run-cli.js";

/** What `npm install @creatorsearch/cli` does not bring: its optional peer dependencies. */
const OPTIONAL = ["postgres", "bullmq", "ioredis", "@creatorsearch/bullmq", "@creatorsearch/qstash"];
/** What `--help` and `sandbox` must not load either: the storage stack and the engine. */
const STORAGE = ["better-sqlite3", "drizzle-orm", "@creatorsearch/drizzle", "@creatorsearch/core"];
/** Nothing listens here: a case that reached the network would fail with another message. */
const NOWHERE_PG = "postgres://postgres@127.0.0.1:9/test";
const NOWHERE_REDIS = "redis://127.0.0.1:9";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cs-cli-optional-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli(args: string[], hide: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd: dir, env: cleanEnv(env), hide });
}

describe("without the optional packages", () => {
  it("--help loads neither a storage driver nor the engine", async () => {
    const r = await cli(["--help"], [...OPTIONAL, ...STORAGE]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: creatorsearch/);
  });

  it("the README's first command works: search --sandbox --out c.csv", async () => {
    const r = await cli(["search", "soup recipes", "--sandbox", "--target", "10", "--out", "c.csv"], OPTIONAL);
    expect(r.code).toBe(0);
    const rows = parse(await readFile(join(dir, "c.csv"), "utf8"), { columns: true }) as unknown[];
    expect(rows.length).toBeGreaterThanOrEqual(10);
    const list = await cli(["jobs", "list", "--json"], OPTIONAL);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });

  it.each([
    [["search", "x", "--redis", NOWHERE_REDIS], ["@creatorsearch/bullmq"], "error: --redis needs BullMQ: npm install @creatorsearch/bullmq bullmq ioredis"],
    [["search", "x", "--redis", NOWHERE_REDIS], ["bullmq"], "error: --redis needs BullMQ: npm install @creatorsearch/bullmq bullmq ioredis"],
    [["worker", "--redis", NOWHERE_REDIS], ["ioredis"], "error: --redis needs BullMQ: npm install @creatorsearch/bullmq bullmq ioredis"],
    [["migrate", "--db", NOWHERE_PG], ["postgres"], "error: --db postgres://... needs postgres.js: npm install postgres"],
    [["jobs", "list", "--db", NOWHERE_PG], ["postgres"], "error: --db postgres://... needs postgres.js: npm install postgres"],
    [["search", "x", "--sandbox", "--db", NOWHERE_PG], ["postgres"], "error: --db postgres://... needs postgres.js: npm install postgres"],
  ])("%j without %j: one line naming the install, exit 2", async (args, hide, line) => {
    const r = await cli(args, hide, { SCRAPECREATORS_API_KEY: "sandbox" });
    expect(r.stderr).toBe(`${line}\n`);
    expect(r.code).toBe(2);
  });

  it("serve --qstash-token without @creatorsearch/qstash: one line naming the install, exit 2", async () => {
    const keys = { QSTASH_CURRENT_SIGNING_KEY: "sig_current", QSTASH_NEXT_SIGNING_KEY: "sig_next" };
    const r = await cli(["serve", "--dev-auth", "--port", "0", "--qstash-token", "t", "--public-url", "http://127.0.0.1:3000"], ["@creatorsearch/qstash"], { SCRAPECREATORS_API_KEY: "sandbox", ...keys });
    expect(r.stderr).toBe("error: --qstash-token needs QStash: npm install @creatorsearch/qstash\n");
    expect(r.code).toBe(2);
  });

  it("sandbox serves without the storage stack", async () => {
    const child: ChildProcess = spawn(process.execPath, cliNodeArgs(["sandbox", "--port", "0"], { hide: true }), {
      cwd: dir,
      env: { ...cleanEnv(), CS_HIDE_PACKAGES: [...OPTIONAL, ...STORAGE].join(",") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (d) => {
        out += d;
        const match = /listening on (http:\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once("close", (code) => reject(new Error(`sandbox exited ${code}: ${err}`)));
    });
    const res = await fetch(`${url}/v1/tiktok/search/keyword?query=soup`, { headers: { "x-api-key": "sandbox" } });
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(err).toBe("");
  });
});
