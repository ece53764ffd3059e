import { resolve } from "node:path";
import type { SearchJob } from "@creatorsearch/core";
import { EXIT } from "../errors.js";
import type { CliIO } from "../io.js";
import { progressView } from "../output/progress.js";
import { creatorsTable, jobSummary } from "../output/table.js";
import { formatOf, writeChunks } from "../output/write.js";
import { openRuntime } from "../runtime.js";

export interface SearchOptions {
  platform: string;
  target: number;
  db?: string;
  out?: string;
  json?: boolean;
  sandbox?: boolean;
  maxApiCalls?: number;
  user: string;
  rows: number;
}

/** Rows shown in the terminal table; the file written with --out has them all. */
export const TABLE_ROWS = 20;

/** What a CLI job searches: keywords, or the creators similar to a target handle. */
export type JobSpec = { keywords: string[] } | { targetHandle: string };

/** `creatorsearch search <keyword...>`: runs a job to its end in this process. */
export function searchCommand(io: CliIO, keywords: string[], options: SearchOptions): Promise<number> {
  return runJobCommand(io, { keywords }, options);
}

/** Runs a job to its end in this process, then prints its creators (and writes `--out`). */
export async function runJobCommand(io: CliIO, spec: JobSpec, options: SearchOptions): Promise<number> {
  const format = options.out ? formatOf(options.out) : undefined; // refuse a bad --out before spending credits
  const runtime = await openRuntime(io, { db: options.db, sandbox: options.sandbox, maxApiCalls: options.maxApiCalls });
  const { cs } = runtime;
  let view: ReturnType<typeof progressView> | undefined;
  let job: SearchJob | undefined;
  const onSignal = () => {
    if (job) void cs.jobs.cancel(options.user, job.id).catch(() => undefined);
  };
  process.once("SIGINT", onSignal);
  try {
    const similar = "targetHandle" in spec;
    const campaign = await cs.campaigns.create(options.user, {
      name: `CLI: ${similar ? `similar to ${spec.targetHandle}` : spec.keywords.join(", ")}`.slice(0, 200),
      searchType: similar ? "similar" : "keyword",
      platforms: [options.platform],
    });
    job = await cs.jobs.start(options.user, {
      campaignId: campaign.id,
      platform: options.platform,
      ...(similar ? { mode: "similar" as const, targetHandle: spec.targetHandle } : { mode: "keyword" as const, keywords: spec.keywords }),
      targetResults: options.target,
      ...(options.maxApiCalls ? { maxApiCalls: options.maxApiCalls } : {}),
    });
    view = progressView(io, job.targetResults);
    const current = view;
    cs.events.on("job.progress", ({ job: j }) => current.update(j));
    const done = await cs.jobs.wait(options.user, job.id);
    view.stop();

    if (options.out && format) {
      const file = resolve(io.cwd, options.out);
      await writeChunks(file, cs.results.export(options.user, { jobId: done.id, format }));
      io.stderr.write(`wrote ${done.processedResults} creators to ${file}\n`);
    }
    const first = await cs.results.list(options.user, { jobId: done.id, limit: options.json ? 1000 : options.rows });
    if (options.json) {
      const creators = [];
      for await (const c of cs.results.iterate(options.user, done.id)) creators.push(c);
      io.stdout.write(`${JSON.stringify({ job: done, creators }, null, 2)}\n`);
    } else {
      io.stdout.write(`${jobSummary(done)}\n`);
      if (first.items.length) io.stdout.write(`${creatorsTable(first.items)}\n`);
      const more = done.processedResults - first.items.length;
      if (more > 0) io.stdout.write(`... and ${more} more: use --out creators.csv or creatorsearch jobs export ${done.id}\n`);
    }
    if (done.status !== "completed") {
      io.stderr.write(`error: job ${done.status}${done.error ? `: ${done.error}` : ""}\n`);
      return EXIT.jobFailed;
    }
    return EXIT.ok;
  } finally {
    view?.stop();
    process.off("SIGINT", onSignal);
    await runtime.close();
  }
}
