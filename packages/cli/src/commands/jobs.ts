import { resolve } from "node:path";
import { NotFoundError } from "@creatorsearch/core";
import { EXIT, UsageError } from "../errors.js";
import { type CliIO, useColor } from "../io.js";
import { jobSummary, jobsTable } from "../output/table.js";
import { checkWritable } from "../output/writable.js";
import { formatOf, writeChunks } from "../output/write.js";
import { rideOutStorage } from "../output/storage-weather.js";
import { openRuntime } from "../runtime.js";

interface DbOptions {
  db?: string;
  user: string;
  json?: boolean;
}

async function withRuntime<T>(io: CliIO, options: DbOptions, fn: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>) {
  const runtime = await openRuntime(io, { db: options.db, worker: false });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/** `creatorsearch jobs list`. */
export function jobsListCommand(io: CliIO, options: DbOptions & { limit: number }): Promise<number> {
  return withRuntime(io, options, async ({ cs }) => {
    const jobs = await cs.jobs.list(options.user, { limit: options.limit });
    io.stdout.write(options.json ? `${JSON.stringify(jobs, null, 2)}\n` : jobs.length ? `${jobsTable(jobs, { color: useColor(io) })}\n` : "no jobs yet\n");
    return EXIT.ok;
  });
}

/** `creatorsearch jobs show <id>`. */
export function jobsShowCommand(io: CliIO, id: string, options: DbOptions): Promise<number> {
  return withRuntime(io, options, async ({ cs }) => {
    const job = await rideOutStorage(io, () => cs.jobs.get(options.user, id));
    if (!job) throw new NotFoundError("Job", id);
    io.stdout.write(options.json ? `${JSON.stringify(job, null, 2)}\n` : `${jobSummary(job)}\n`);
    return EXIT.ok;
  });
}

/** `creatorsearch jobs export <id>`: CSV or JSON to a file or stdout. */
export async function jobsExportCommand(io: CliIO, id: string, options: DbOptions & { format?: string; out?: string }): Promise<number> {
  const format = options.out ? formatOf(options.out) : options.format === "json" ? "json" : "csv";
  if (options.format && options.format !== format) throw new UsageError(`--format ${options.format} contradicts --out ${options.out}: drop --format or change the file name`);
  const file = options.out ? resolve(io.cwd, options.out) : undefined;
  if (file) await checkWritable(file, options.out!); // before the database is opened
  return withRuntime(io, options, async ({ cs }) => {
    // Before the file is opened: an unknown id must not leave an empty file (or truncate one).
    if (!(await cs.jobs.get(options.user, id))) throw new NotFoundError("Job", id);
    const chunks = cs.results.export(options.user, { jobId: id, format });
    if (file) {
      await writeChunks(file, chunks);
      io.stderr.write(`wrote ${file}\n`);
    } else {
      for await (const chunk of chunks) io.stdout.write(chunk);
    }
    return EXIT.ok;
  });
}
