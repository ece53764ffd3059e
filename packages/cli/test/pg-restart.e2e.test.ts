/**
 * `creatorsearch search --db postgres://...` waits for its job while the database goes away for
 * a moment (stopped, then started again, on a cluster of this file's own): the real CLI, in its
 * own process, says so in one line, goes on, and exits 0 with the job completed.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SandboxServer, startSandboxServer } from "@creatorsearch/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnPostgres, canRunOwnPostgres, startOwnPostgres } from "../../drizzle/test/support/own-postgres.js";
import { cleanEnv, cliNodeArgs } from "./support/run-cli.js";

const describeOwn = canRunOwnPostgres("cli pg-restart") ? describe : describe.skip;

describeOwn("search rides out a database restart while it waits", () => {
  let pg: OwnPostgres;
  let sandbox: SandboxServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cs-cli-pg-restart-"));
    // Slow pages: the job is still running when the database goes away.
    [pg, sandbox] = await Promise.all([startOwnPostgres(), startSandboxServer({ port: 0, latencyMs: 250, resultsPerQuery: 2_000 })]);
  }, 120_000);
  afterAll(async () => {
    await sandbox?.close();
    await pg?.destroy();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("says so in one line, goes on, and exits 0 with the job completed", async () => {
    const child = spawn(process.execPath, cliNodeArgs(["search", "soup", "bread", "--target", "150", "--db", pg.url, "--json"]), {
      cwd: dir,
      env: cleanEnv({ SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    const progressed = new Promise<void>((resolve) =>
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk;
        if (/^progress /m.test(stderr)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const killer = setTimeout(() => child.kill("SIGKILL"), 100_000);
    try {
      await Promise.race([progressed, exited]);
      // Down for longer than a poll of the waiting command (500 ms), so its wait meets the outage.
      await pg.stop();
      await new Promise((r) => setTimeout(r, 2_000));
      await pg.start();
      const code = await exited;

      expect(stderr).not.toMatch(/TypeError|Unhandled|uncaught/i);
      expect(stderr.match(/^warning: .*(Postgres unavailable|Cannot connect to Postgres).*; retrying for up to \d+ s$/gm)).toHaveLength(1);
      expect(stderr).toMatch(/^database is back; going on$/m);
      expect(code).toBe(0);
      const { job } = JSON.parse(stdout) as { job: { status: string; processedResults: number } };
      expect(job.status).toBe("completed");
      expect(job.processedResults).toBeGreaterThanOrEqual(150);
    } finally {
      clearTimeout(killer);
      child.kill("SIGKILL");
    }
  }, 120_000);
});
