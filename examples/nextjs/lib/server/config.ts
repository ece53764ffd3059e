/**
 * The app's settings, all from environment variables (see README). Nothing is required: with
 * no variables set the app runs on a SQLite file, the in-memory queue and a local sandbox API.
 */
export interface AppConfig {
  /** Real ScrapeCreators key; `null` runs against the in-process sandbox. */
  apiKey: string | null;
  /** Postgres URL; `null` uses SQLite at `sqliteFile`. */
  databaseUrl: string | null;
  /** Postgres schema of the tables (`?schema=` on `DATABASE_URL`, as the CLI worker takes it). */
  databaseSchema: string | null;
  sqliteFile: string;
  /** Redis URL for BullMQ; `null` means QStash (when `qstash` is set) or the in-memory queue. */
  redisUrl: string | null;
  /** BullMQ queue name; `creatorsearch worker --queue` must name the same. */
  queueName: string;
  qstash: { token: string; callbackUrl: string } | null;
  /** Whether this process runs job steps (false when separate `creatorsearch worker` processes do). */
  runWorker: boolean;
  /** Supabase JWT secret; `null` signs in locally with a user name (devAuth). */
  supabaseJwtSecret: string | null;
  /** devAuth with a real API key or in production needs an explicit yes. */
  allowDevAuth: boolean;
  /** Answer time of the sandbox API, so progress is visible as in real life. */
  sandboxLatencyMs: number;
  /** How long a job may run before it ends as `timeout`; `null` keeps the SDK's default (1 hour). */
  jobTimeoutMs: number | null;
}

/** Thrown at start-up for a setting that cannot work; the message names the variable. */
export class AppConfigError extends Error {
  override name = "AppConfigError";
}

function nonEmpty(value: string | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (nonEmpty(value) === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new AppConfigError(`${name} must be a whole number of milliseconds, got ${JSON.stringify(value)}`);
  return n;
}

function bool(name: string, value: string | undefined, fallback: boolean): boolean {
  const v = nonEmpty(value)?.toLowerCase();
  if (v === undefined || v === null) return fallback;
  if (["1", "true", "yes"].includes(v)) return true;
  if (["0", "false", "no"].includes(v)) return false;
  throw new AppConfigError(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

export function readConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const apiKey = nonEmpty(env.SCRAPECREATORS_API_KEY);
  let databaseUrl = nonEmpty(env.DATABASE_URL);
  let databaseSchema: string | null = null;
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
      throw new AppConfigError(`DATABASE_URL must be a postgres:// URL (leave it unset for SQLite), got ${JSON.stringify(databaseUrl.split(":")[0])}:…`);
    }
    // `schema` is ours, not a server setting: take it off before the driver sees the URL.
    const url = new URL(databaseUrl);
    databaseSchema = url.searchParams.get("schema");
    url.searchParams.delete("schema");
    databaseUrl = url.toString();
  }
  const redisUrl = nonEmpty(env.REDIS_URL);
  const qstashToken = nonEmpty(env.QSTASH_TOKEN);
  if (redisUrl && qstashToken) throw new AppConfigError("Set REDIS_URL (BullMQ) or QSTASH_TOKEN (QStash), not both");
  let qstash: AppConfig["qstash"] = null;
  if (qstashToken) {
    const site = nonEmpty(env.PUBLIC_URL);
    if (!site) throw new AppConfigError("QSTASH_TOKEN needs PUBLIC_URL: the public https URL QStash delivers job steps to");
    qstash = { token: qstashToken, callbackUrl: `${site.replace(/\/+$/, "")}/api/qstash/process-scraping` };
  }
  return {
    apiKey,
    databaseUrl,
    databaseSchema,
    sqliteFile: nonEmpty(env.SQLITE_FILE) ?? ".data/creatorsearch.db",
    redisUrl,
    queueName: nonEmpty(env.QUEUE_NAME) ?? "creatorsearch-steps",
    qstash,
    runWorker: bool("CREATORSEARCH_WORKER", env.CREATORSEARCH_WORKER, true),
    supabaseJwtSecret: nonEmpty(env.SUPABASE_JWT_SECRET),
    allowDevAuth: bool("CREATORSEARCH_DEV_AUTH", env.CREATORSEARCH_DEV_AUTH, false),
    sandboxLatencyMs: integer("SANDBOX_LATENCY_MS", env.SANDBOX_LATENCY_MS, 300),
    jobTimeoutMs: nonEmpty(env.JOB_TIMEOUT_MS) === null ? null : integer("JOB_TIMEOUT_MS", env.JOB_TIMEOUT_MS, 0) || null,
  };
}
