import { Command, CommanderError, Option } from "commander";
import { CLI_QUEUE_NAME, DEFAULT_DB, MAX_API_CALLS, MAX_LOOP_DELAY_MS, MAX_TABLE_ROWS, STEP_CONCURRENCY, TABLE_ROWS, UPSTREAM_CONCURRENCY } from "./defaults.js";
import { EXIT, UsageError } from "./errors.js";
import type { CliIO } from "./io.js";
import { addFilterFlags } from "./options/filters.js";
import { basePath, dbTarget, httpUrl, int, nonEmpty, queueName, redisUrl } from "./options/parse.js";
import { missingPackageOf } from "./optional.js";

// Each command's module is imported by its action: `--help`, a usage error or `sandbox` load
// neither the engine nor a storage driver, and Postgres and BullMQ only load for their flags.

/** Milliseconds up to a day: `--lease-ms`, `--stalled-ms`. */
const DAY_MS = 86_400_000;

/**
 * Runs the CLI with `argv` (without the node and script entries) and resolves with the exit code:
 * 0 done, 1 the job failed, 2 bad usage.
 */
export async function run(argv: string[], io: CliIO): Promise<number> {
  let code: number = EXIT.ok;
  // Commander prints help to writeErr when a command is missing: kept out, replaced by one line.
  let helpOnError = "";
  const program = new Command("creatorsearch")
    .description("Find creators on TikTok, Instagram and YouTube through ScrapeCreators, stored in a local SQLite file.")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => (helpOnError += s),
      // Commander puts its suggestion on a second line: one line says it all.
      outputError: (s) => io.stderr.write(`${s.trim().replace(/\s*\n\s*/g, " ")}\n`),
    })
    .showSuggestionAfterError()
    // Each command's options are its own: `roster set --status` is not `roster --status`.
    .enablePositionalOptions();
  const dbOption = () =>
    new Option("--db <file|url>", "SQLite file, or postgres://user:password@host:port/database[?schema=name] (needs the postgres package)")
      .default(DEFAULT_DB)
      .argParser(dbTarget);
  const userOption = () => new Option("--user <id>", "user id the jobs belong to").default("cli").argParser(nonEmpty("--user"));
  const redisOption = () =>
    new Option("--redis <url>", "queue the job on BullMQ at this Redis URL; `creatorsearch worker` processes run it (needs @creatorsearch/bullmq bullmq ioredis)").argParser(
      redisUrl,
    );
  const hostOption = () => new Option("--host <host>", "interface to listen on").default("127.0.0.1").argParser(nonEmpty("--host", 255));
  const shutdownOption = () =>
    new Option("--shutdown-timeout <ms>", "on SIGTERM/SIGINT, how long steps in flight may finish before they are handed back to the queue")
      .default(30_000)
      .argParser(int("--shutdown-timeout", 0, DAY_MS));

  /** What every command that runs a job takes: target, storage, output, budget, queue, filters. */
  const jobOptions = (command: Command) =>
    addFilterFlags(
      command
        .option("--target <n>", "unique creators to find (1-10000)", int("--target", 1, 10_000), 100)
        .addOption(dbOption())
        .option("--out <file>", "also write every creator to FILE.csv or FILE.json (its directory must exist)")
        .option("--json", "print the job and its creators as JSON instead of a table")
        .option("--sandbox", "use the local sandbox API (no key, no credits)")
        .option("--max-api-calls <n>", `API-call budget of the job (1-${MAX_API_CALLS})`, int("--max-api-calls", 1, MAX_API_CALLS))
        .option("--rows <n>", `creators shown in the table (1-${MAX_TABLE_ROWS})`, int("--rows", 1, MAX_TABLE_ROWS), TABLE_ROWS)
        .addOption(userOption())
        .addOption(redisOption())
        .option("--campaign <id|name>", "run the job in this campaign (made when none has this name): its roster gathers every job's creators")
        .option("--only-new", "with --campaign: skip creators the campaign already has (they do not count toward --target)")
        .option("--no-wait", "with --redis: print the job id once it is queued and return")
        .option("--queue <name>", "with --redis: BullMQ queue name (workers must use the same)", queueName, CLI_QUEUE_NAME),
    );

  const search = program
    .command("search")
    .description("search creators by keywords and wait for the job to finish")
    .argument("<keyword...>", "keywords (one chain each); quote multi-word keywords")
    .addOption(new Option("--platform <id>", "platform").choices(["tiktok", "instagram", "youtube"]).default("tiktok"));
  jobOptions(search).action(async (keywords: string[], options) => {
    const { searchCommand } = await import("./commands/search.js");
    code = await searchCommand(io, keywords, options);
  });

  program
    .command("worker")
    .description("run queued job steps from BullMQ until SIGTERM/SIGINT; start more workers to go faster")
    .addOption(dbOption())
    .requiredOption("--redis <url>", "Redis URL, e.g. redis://127.0.0.1:6379 (needs @creatorsearch/bullmq bullmq ioredis)", redisUrl)
    .option("--queue <name>", "BullMQ queue name", queueName, CLI_QUEUE_NAME)
    .option("--concurrency <n>", "steps this worker runs at once", int("--concurrency", 1, 1000), 4)
    .option("--rate <n>", "at most N steps start per second across all workers (your ScrapeCreators rate)", int("--rate", 1, 10_000))
    .option("--lease-ms <ms>", "how long a step is held before another worker may take it over (renewed while it runs)", int("--lease-ms", 100, DAY_MS), 15_000)
    .option("--stalled-ms <ms>", "how soon the step of a crashed worker is handed to another", int("--stalled-ms", 100, DAY_MS), 30_000)
    .addOption(shutdownOption())
    .action(async (options) => {
      const { workerCommand } = await import("./commands/worker.js");
      code = await workerCommand(io, options);
    });

  const similar = program
    .command("similar")
    .description("find creators similar to a handle (its related profiles, breadth-first) and wait for the job to finish")
    .argument("<handle>", "target handle: natgeo, @natgeo or a profile URL")
    .addOption(new Option("--platform <id>", "platform").choices(["instagram"]).default("instagram"));
  jobOptions(similar).action(async (handle: string, options) => {
    const { similarCommand } = await import("./commands/similar.js");
    code = await similarCommand(io, handle, options);
  });

  const jobs = program.command("jobs").description("inspect and export jobs in the database");
  jobs
    .command("list")
    .description("list jobs, newest first")
    .addOption(dbOption())
    .option("--limit <n>", "jobs to show (1-200)", int("--limit", 1, 200), 20)
    .option("--json", "print JSON")
    .addOption(userOption())
    .action(async (options) => {
      const { jobsListCommand } = await import("./commands/jobs.js");
      code = await jobsListCommand(io, options);
    });
  jobs
    .command("show")
    .description("show one job")
    .argument("<id>", "job id", nonEmpty("job id"))
    .addOption(dbOption())
    .option("--json", "print JSON")
    .addOption(userOption())
    .action(async (id: string, options) => {
      const { jobsShowCommand } = await import("./commands/jobs.js");
      code = await jobsShowCommand(io, id, options);
    });
  jobs
    .command("export")
    .description("export a job's creators as CSV (default) or JSON")
    .argument("<id>", "job id", nonEmpty("job id"))
    .addOption(dbOption())
    .addOption(new Option("--format <format>", "output format (default: csv, or what --out ends in)").choices(["csv", "json"]))
    .option("--out <file>", "write to FILE.csv or FILE.json instead of stdout (its directory must exist)")
    .addOption(userOption())
    .action(async (id: string, options) => {
      const { jobsExportCommand } = await import("./commands/jobs.js");
      code = await jobsExportCommand(io, id, options);
    });

  const rosterStatus = () => new Option("--status <status>", "roster status").choices(["new", "shortlisted", "contacted", "agreed", "rejected"]);
  const roster = program
    .command("roster")
    .description("list a campaign's creators (one entry each, with status, notes, tags and linked accounts), or export them")
    // `roster set` has options of the same names (--status, --db...): after "set", they are its own.
    .enablePositionalOptions()
    .argument("<campaign>", "campaign id or name", nonEmpty("campaign"))
    .addOption(dbOption())
    .addOption(rosterStatus())
    .option("--platform <id>", "only this platform's creators", nonEmpty("--platform", 50))
    .option("--tag <tag>", "only creators with this tag", nonEmpty("--tag", 50))
    .option("--search <text>", "only creators whose handle or name contains TEXT", nonEmpty("--search", 100))
    .option("--limit <n>", "entries shown (1-200)", int("--limit", 1, 200), 50)
    .option("--out <file>", "write every matching entry to FILE.csv or FILE.json (its directory must exist)")
    .option("--json", "print JSON")
    .addOption(userOption())
    .action(async (ref: string, options) => {
      const { rosterCommand } = await import("./commands/roster.js");
      code = await rosterCommand(io, ref, options);
    });
  roster
    .command("set")
    .description("set the status, note or tags of creators of a campaign, by handle")
    .argument("<campaign>", "campaign id or name", nonEmpty("campaign"))
    .argument("<handle...>", "handles (with or without @)")
    .addOption(dbOption())
    .addOption(rosterStatus())
    .option("--note <text>", "note for these creators (\"\" clears it)")
    .option("--tags <a,b>", "tags, comma-separated (replaces the current ones; \"\" clears them)")
    .option("--platform <id>", "only this platform's account of each handle", nonEmpty("--platform", 50))
    .option("--json", "print JSON")
    .addOption(userOption())
    .action(async (ref: string, handles: string[], options) => {
      const { rosterSetCommand } = await import("./commands/roster.js");
      code = await rosterSetCommand(io, ref, handles, options);
    });

  program
    .command("serve")
    .description("serve the HTTP API (campaigns, jobs, progress events, CSV export) until Ctrl+C")
    .option("--port <n>", "port (0 picks a free one)", int("--port", 0, 65_535), 3000)
    .addOption(hostOption())
    .addOption(dbOption())
    .option("--base-path <path>", "path prefix of every route", basePath, "/api")
    .option("--sandbox", "use the local sandbox API (no key, no credits)")
    .option("--dev-auth", "trust the x-user-id header as the user (local use only; refused with NODE_ENV=production)")
    .addOption(
      new Option("--redis <url>", "queue steps on BullMQ at this Redis URL; `creatorsearch worker` processes run them (needs @creatorsearch/bullmq bullmq ioredis)").argParser(
        redisUrl,
      ),
    )
    .option("--queue <name>", "with --redis: BullMQ queue name (workers must use the same)", queueName, CLI_QUEUE_NAME)
    .option("--qstash-token <token>", "publish steps on QStash, which delivers them to this server's webhook; signing keys from QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY (needs @creatorsearch/qstash)", nonEmpty("--qstash-token", 4096))
    .option("--qstash-url <url>", "with --qstash-token: QStash API URL, for a self-hosted or dev server (default QSTASH_URL, else Upstash)", httpUrl("--qstash-url"))
    .option("--public-url <url>", "with --qstash-token: this server's public URL as QStash reaches it; the webhook is <url><base-path>/qstash/process-scraping", httpUrl("--public-url"))
    .option(
      "--concurrency <n>",
      `steps run at once in this process (1-1000; default ${STEP_CONCURRENCY}): more finds creators faster, but each step's parse and commit run on the loop that answers requests, so polls wait longer; not with --redis (set it on the workers)`,
      int("--concurrency", 1, 1000),
    )
    .option(
      "--upstream-concurrency <n>",
      `ScrapeCreators calls in flight at once (1-1000; default ${UPSTREAM_CONCURRENCY}): the upper bound of pages fetched at once, whatever --concurrency; raise both together, and lower it if the API answers 429; not with --redis`,
      int("--upstream-concurrency", 1, 1000),
    )
    .option(
      "--max-loop-delay <ms>",
      `back-pressure: no step starts while the event loop runs this late (0-60000, 0 = off; default ${MAX_LOOP_DELAY_MS}); lower keeps polls answered sooner, higher or 0 finds creators faster`,
      int("--max-loop-delay", 0, 60_000),
    )
    .option(
      "--debug [seconds]",
      "every 10 s (or SECONDS, 1-3600), one stderr line: event-loop delay p50/p99/max (how long a request waits for the loop) and steps queued or running",
      int("--debug", 1, 3600),
    )
    .addOption(shutdownOption())
    .action(async (options) => {
      const { serveCommand } = await import("./commands/serve.js");
      code = await serveCommand(io, options);
    });

  program
    .command("migrate")
    .description("apply the storage migrations the database lacks (other commands apply them on open)")
    .addOption(dbOption())
    .option("--check", "only list missing migrations; exit 1 when any is missing")
    .action(async (options) => {
      const { migrateCommand } = await import("./commands/migrate.js");
      code = await migrateCommand(io, options);
    });

  program
    .command("prune")
    .description("drop the raw upstream pages no step needs any more (kept by older versions, or past --keep-days)")
    .addOption(dbOption())
    .option("--dry-run", "only count the pages and bytes that would go")
    .option("--keep-days <n>", "keep pages fetched in the last n days (0-36500)", int("--keep-days", 0, 36_500))
    .option("--vacuum", "also hand the space back to the file system (SQLite VACUUM; Postgres VACUUM of the pages table)")
    .action(async (options) => {
      const { pruneCommand } = await import("./commands/prune.js");
      code = await pruneCommand(io, options);
    });

  program
    .command("sandbox")
    .description("serve the ScrapeCreators-compatible sandbox API")
    .option("--port <n>", "port (0 picks a free one)", int("--port", 0, 65_535), 8787)
    .addOption(hostOption())
    .option("--latency <ms>", "delay of every answer (0-60000)", int("--latency", 0, 60_000), 0)
    .option("--page-kb <n>", "pad answers to real sizes: KB per full TikTok keyword page (real: ~1800; 0-100000, 0 = compact)", int("--page-kb", 0, 100_000), 0)
    .action(async (options) => {
      const { sandboxCommand } = await import("./commands/sandbox.js");
      code = await sandboxCommand(io, options);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.help" && error.exitCode !== 0) io.stderr.write(`${missingCommand(program, helpOnError)}\n`);
      // Commander already printed its one-line message; help and version are not errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(io, error);
  }
}

/** The line for a command run without its subcommand (`creatorsearch`, `creatorsearch jobs`). */
function missingCommand(program: Command, help: string): string {
  const path = /Usage: (\S+(?: [a-z]+)*)/.exec(help)?.[1]?.split(" ").slice(1) ?? [];
  let command = program;
  for (const name of path) command = command.commands.find((c) => c.name() === name) ?? command;
  const names = command.commands.map((c) => c.name()).filter((n) => n !== "help");
  const full = ["creatorsearch", ...path].join(" ");
  return `error: missing command: ${full} ${names.join("|")} (see ${full} --help)`;
}

/** Prints an error as one line and picks the exit code: 2 for usage and configuration, else 1. */
async function reportError(io: CliIO, error: unknown): Promise<number> {
  const missing = missingPackageOf(error);
  if (missing) {
    // Optional packages have their own message (see optional.ts): this one is a broken install.
    io.stderr.write(`error: ${missing} is not installed, but @creatorsearch/cli needs it: reinstall @creatorsearch/cli\n`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`error: ${message}\n`);
  if (error instanceof UsageError) return EXIT.usage;
  // The engine's errors: by then the command loaded core, so this import costs nothing.
  const core = await import("@creatorsearch/core").catch(() => undefined);
  if (core && error instanceof core.ValidationError) return EXIT.usage;
  if (core && error instanceof core.CreatorSearchError && error.code === "NOT_FOUND") return EXIT.usage;
  return EXIT.jobFailed;
}
