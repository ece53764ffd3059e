import { resolve } from "node:path";
import type { SearchJob } from "@creatorsearch/core";
import { EXIT, UsageError } from "../errors.js";
import { type CliIO, useColor } from "../io.js";
import { progressView } from "../output/progress.js";
import { creatorsTable, jobSummary } from "../output/table.js";
import { checkWritable } from "../output/writable.js";
import { formatOf, writeChunks } from "../output/write.js";
import { type FilterFlags, jobOptionsOf } from "../options/filters.js";
import { checkJobInput } from "../options/job-input.js";
import { rideOutStorage } from "../output/storage-weather.js";
import { openRuntime } from "../runtime.js";
import { campaignByRef } from "../campaign-ref.js";

export interface SearchOptions extends FilterFlags {
  platform: string;
  target: number;
  db?: string;
  out?: string;
  json?: boolean;
  sandbox?: boolean;
  maxApiCalls?: number;
  user: string;
  rows: number;
  /** Enqueue on BullMQ at this Redis URL; `creatorsearch worker` processes run the steps. */
  redis?: string;
  /** BullMQ queue name (with `redis`). */
  queue?: string;
  /** `false` (`--no-wait`): print the job id once it is queued and return. */
  wait?: boolean;
  /** Campaign id or name to run the job in (made when none has that name). */
  campaign?: string;
  /** With `campaign`: skip creators the campaign already has. */
  onlyNew?: boolean;
}

/** What a CLI job searches: keywords, or the creators similar to a target handle. */
export type JobSpec = { keywords: string[] } | { targetHandle: string };

/** `creatorsearch search <keyword...>`: runs a job to its end in this process. */
export function searchCommand(io: CliIO, keywords: string[], options: SearchOptions): Promise<number> {
  return runJobCommand(io, { keywords }, options);
}

/** Runs a job to its end in this process, then prints its creators (and writes `--out`). */
export async function runJobCommand(io: CliIO, spec: JobSpec, options: SearchOptions): Promise<number> {
  // Every flag is checked before a database is opened or a credit spent: a job whose results
  // cannot be saved, or that the engine would refuse, must cost nothing.
  const format = options.out ? formatOf(options.out) : undefined;
  const jobOptions = jobOptionsOf(options);
  if (options.redis && options.sandbox) {
    throw new UsageError(
      "--sandbox runs the API inside this process, where workers cannot reach it: start `creatorsearch sandbox` and give the workers SCRAPECREATORS_BASE_URL instead",
    );
  }
  if (options.wait === false && !options.redis) throw new UsageError("--no-wait needs --redis: without workers the job runs in this process");
  if (options.onlyNew && !options.campaign) throw new UsageError("--only-new needs --campaign: a new campaign has no creators to skip");
  if (options.wait === false && options.out) throw new UsageError("--out needs the job to finish here: drop --no-wait, or export later with creatorsearch jobs export <id> --out FILE");
  const similar = "targetHandle" in spec;
  const input = {
    platform: options.platform,
    ...(similar ? { mode: "similar" as const, targetHandle: spec.targetHandle } : { mode: "keyword" as const, keywords: spec.keywords }),
    targetResults: options.target,
    ...(options.maxApiCalls ? { maxApiCalls: options.maxApiCalls } : {}),
    ...(options.onlyNew ? { onlyNew: true } : {}),
    ...jobOptions,
  };
  checkJobInput(input);
  if (options.out) await checkWritable(resolve(io.cwd, options.out), options.out);
  const runtime = await openRuntime(io, {
    db: options.db,
    sandbox: options.sandbox,
    maxApiCalls: options.maxApiCalls,
    ...(options.redis ? { redis: { url: options.redis, role: "producer" as const, ...(options.queue ? { queueName: options.queue } : {}) } } : {}),
  });
  const { cs } = runtime;
  let view: ReturnType<typeof progressView> | undefined;
  let job: SearchJob | undefined;
  const onSignal = () => {
    if (job) void cs.jobs.cancel(options.user, job.id).catch(() => undefined);
  };
  process.once("SIGINT", onSignal);
  try {
    const about = { searchType: similar ? ("similar" as const) : ("keyword" as const), platforms: [options.platform] };
    const campaign = options.campaign
      ? (await campaignByRef(cs, options.user, options.campaign, about)).campaign
      : await cs.campaigns.create(options.user, { name: `CLI: ${similar ? `similar to ${spec.targetHandle}` : spec.keywords.join(", ")}`.slice(0, 200), ...about });
    job = await cs.jobs.start(options.user, { campaignId: campaign.id, ...input });
    if (options.wait === false) {
      io.stdout.write(`${job.id}\n`);
      io.stderr.write(`queued job ${job.id}; follow it with: creatorsearch jobs show ${job.id}\n`);
      return EXIT.ok;
    }
    view = progressView(io, job.targetResults);
    const current = view;
    cs.events.on("job.progress", ({ job: j }) => current.update(j));
    // With --redis the steps run in worker processes: read progress from the database.
    const jobId = job.id;
    const poll = options.redis
      ? setInterval(() => void cs.jobs.get(options.user, jobId).then((j) => j && current.update(j), () => undefined), 500)
      : undefined;
    // The database may restart while we wait: ride it out (the job's steps do the same).
    const done = await rideOutStorage(io, () => cs.jobs.wait(options.user, jobId)).finally(() => clearInterval(poll));
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
      if (first.items.length) io.stdout.write(`${creatorsTable(first.items, { color: useColor(io) })}\n`);
      const more = done.processedResults - first.items.length;
      if (more > 0) {
        const where = options.out ? `all of them are in ${options.out}` : `use --out creators.csv or creatorsearch jobs export ${done.id}`;
        io.stdout.write(`... and ${more} more: ${where}\n`);
      }
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
