/**
 * Defaults the option definitions need. A file of its own so `creatorsearch --help` can show
 * them without loading the modules that use them (the storage drivers, the engine).
 */

/** `--db` when none is given: a SQLite file in the working directory. */
export const DEFAULT_DB = "creatorsearch.db";
/** The key the sandbox accepts for CLI runs. */
export const SANDBOX_API_KEY = "sandbox";
/** BullMQ queue name the CLI's producers and workers share. */
export const CLI_QUEUE_NAME = "creatorsearch-steps";
/** Rows shown in the terminal table; the file written with --out has them all. */
export const TABLE_ROWS = 20;
/** Most rows `--rows` may ask for: one page of `results.list`. */
export const MAX_TABLE_ROWS = 1000;
/** Most API calls `--max-api-calls` may budget: far above what a 10 000-creator job needs. */
export const MAX_API_CALLS = 100_000;
/**
 * Steps the in-process queue runs at once (`serve --concurrency`, and `search` without --redis).
 * Sized for throughput: a step mostly waits on the API, and its CPU slices take the loop one at a
 * time, so the HTTP polling bench (20 jobs, 200 pollers, one process) at 32 finds 15,000+
 * creators in 30 s with poll p99 under 0.5 s, on SQLite and on Postgres.
 */
export const STEP_CONCURRENCY = 32;
/**
 * ScrapeCreators calls in flight at once (`serve --upstream-concurrency`): as many as steps, as
 * the API documents no rate limit (a 429 is retried after its Retry-After).
 */
export const UPSTREAM_CONCURRENCY = 32;
/**
 * `serve`: no step starts while the event loop is this many ms late (memoryQueue's `maxLoopDelayMs`),
 * so requests are served first when steps pile up.
 */
export const MAX_LOOP_DELAY_MS = 50;
