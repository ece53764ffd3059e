import { CreatorSearchError, ValidationError } from "@creatorsearch/core";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { jobsExportCommand, jobsListCommand, jobsShowCommand } from "./commands/jobs.js";
import { migrateCommand } from "./commands/migrate.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { addFilterFlags } from "./options/filters.js";
import { serveCommand } from "./commands/serve.js";
import { TABLE_ROWS, searchCommand } from "./commands/search.js";
import { similarCommand } from "./commands/similar.js";
import { workerCommand } from "./commands/worker.js";
import { CLI_QUEUE_NAME } from "./queue.js";
import { EXIT, UsageError } from "./errors.js";
import type { CliIO } from "./io.js";
import { DEFAULT_DB } from "./runtime.js";

const int = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
  return n;
};

/**
 * Runs the CLI with `argv` (without the node and script entries) and resolves with the exit code:
 * 0 done, 1 the job failed, 2 bad usage.
 */
export async function run(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command("creatorsearch")
    .description("Find creators on TikTok, Instagram and YouTube through ScrapeCreators, stored in a local SQLite file.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError();
  const dbOption = () =>
    new Option("--db <file|url>", "SQLite file, or postgres://user:password@host:port/database[?schema=name]").default(DEFAULT_DB);
  const userOption = () => new Option("--user <id>", "user id the jobs belong to").default("cli");
  const redisOption = () => new Option("--redis <url>", "queue the job on BullMQ at this Redis URL; `creatorsearch worker` processes run it");

  /** What every command that runs a job takes: target, storage, output, budget, queue, filters. */
  const jobOptions = (command: Command) =>
    addFilterFlags(
      command
        .option("--target <n>", "unique creators to find (1-10000)", int("--target", 1, 10_000), 100)
        .addOption(dbOption())
        .option("--out <file>", "also write every creator to FILE.csv or FILE.json")
        .option("--json", "print the job and its creators as JSON instead of a table")
        .option("--sandbox", "use the local sandbox API (no key, no credits)")
        .option("--max-api-calls <n>", "API-call budget of the job", int("--max-api-calls", 1))
        .option("--rows <n>", "creators shown in the table", int("--rows", 0), TABLE_ROWS)
        .addOption(userOption())
        .addOption(redisOption())
        .option("--no-wait", "with --redis: print the job id once it is queued and return")
        .option("--queue <name>", "with --redis: BullMQ queue name (workers must use the same)", CLI_QUEUE_NAME),
    );

  const search = program
    .command("search")
    .description("search creators by keywords and wait for the job to finish")
    .argument("<keyword...>", "keywords (one chain each); quote multi-word keywords")
    .addOption(new Option("--platform <id>", "platform").choices(["tiktok", "instagram", "youtube"]).default("tiktok"));
  jobOptions(search).action(async (keywords: string[], options) => {
    code = await searchCommand(io, keywords, options);
  });

  program
    .command("worker")
    .description("run queued job steps from BullMQ until SIGTERM/SIGINT; start more workers to go faster")
    .addOption(dbOption())
    .requiredOption("--redis <url>", "Redis URL, e.g. redis://127.0.0.1:6379")
    .option("--queue <name>", "BullMQ queue name", CLI_QUEUE_NAME)
    .option("--concurrency <n>", "steps this worker runs at once", int("--concurrency", 1, 1000), 4)
    .option("--rate <n>", "at most N steps start per second across all workers (your ScrapeCreators rate)", int("--rate", 1))
    .option("--lease-ms <ms>", "how long a step is held before another worker may take it over", int("--lease-ms", 100), 120_000)
    .option("--stalled-ms <ms>", "how soon the step of a crashed worker is handed to another", int("--stalled-ms", 100), 30_000)
    .action(async (options) => {
      code = await workerCommand(io, options);
    });

  const similar = program
    .command("similar")
    .description("find creators similar to a handle (its related profiles, breadth-first) and wait for the job to finish")
    .argument("<handle>", "target handle: natgeo, @natgeo or a profile URL")
    .addOption(new Option("--platform <id>", "platform").choices(["instagram"]).default("instagram"));
  jobOptions(similar).action(async (handle: string, options) => {
    code = await similarCommand(io, handle, options);
  });

  const jobs = program.command("jobs").description("inspect and export jobs in the database");
  jobs
    .command("list")
    .description("list jobs, newest first")
    .addOption(dbOption())
    .option("--limit <n>", "jobs to show", int("--limit", 1, 200), 20)
    .option("--json", "print JSON")
    .addOption(userOption())
    .action(async (options) => {
      code = await jobsListCommand(io, options);
    });
  jobs
    .command("show")
    .description("show one job")
    .argument("<id>", "job id")
    .addOption(dbOption())
    .option("--json", "print JSON")
    .addOption(userOption())
    .action(async (id: string, options) => {
      code = await jobsShowCommand(io, id, options);
    });
  jobs
    .command("export")
    .description("export a job's creators as CSV (default) or JSON")
    .argument("<id>", "job id")
    .addOption(dbOption())
    .addOption(new Option("--format <format>", "output format").choices(["csv", "json"]).default("csv"))
    .option("--out <file>", "write to FILE.csv or FILE.json instead of stdout")
    .addOption(userOption())
    .action(async (id: string, options) => {
      code = await jobsExportCommand(io, id, options);
    });

  program
    .command("serve")
    .description("serve the HTTP API (campaigns, jobs, progress events, CSV export) until Ctrl+C")
    .option("--port <n>", "port (0 picks a free one)", int("--port", 0, 65_535), 3000)
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .addOption(dbOption())
    .option("--base-path <path>", "path prefix of every route", "/api")
    .option("--sandbox", "use the local sandbox API (no key, no credits)")
    .option("--dev-auth", "trust the x-user-id header as the user (local use only; refused with NODE_ENV=production)")
    .action(async (options) => {
      code = await serveCommand(io, options);
    });

  program
    .command("migrate")
    .description("apply the storage migrations the database lacks (other commands apply them on open)")
    .addOption(dbOption())
    .option("--check", "only list missing migrations; exit 1 when any is missing")
    .action(async (options) => {
      code = await migrateCommand(io, options);
    });

  program
    .command("sandbox")
    .description("serve the ScrapeCreators-compatible sandbox API")
    .option("--port <n>", "port", int("--port", 0, 65_535), 8787)
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--latency <ms>", "delay of every answer", int("--latency", 0, 60_000), 0)
    .action(async (options) => {
      code = await sandboxCommand(io, options);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its one-line message; help and version are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`error: ${message}\n`);
    if (error instanceof UsageError || error instanceof ValidationError) return EXIT.usage;
    if (error instanceof CreatorSearchError && error.code === "NOT_FOUND") return EXIT.usage;
    return EXIT.jobFailed;
  }
}
