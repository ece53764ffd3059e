/** Settings of the Express example, from environment variables (see README). */
export interface ServerConfig {
  port: number;
  /** Postgres URL (`postgres://user:password@host:port/database`, optional `?schema=name`). */
  databaseUrl: string;
  /** Postgres schema of the tables; default `public`. */
  schema: string | undefined;
  redisUrl: string;
  /** BullMQ queue name; the workers must use the same (`creatorsearch worker --queue`). */
  queueName: string;
  /** Supabase JWT secret; `null` uses devAuth (the `x-user-id` header, refused in production). */
  supabaseJwtSecret: string | null;
}

/** A missing or malformed setting; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export function readConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/creatorsearch");
  }
  const redisUrl = env.REDIS_URL?.trim();
  if (!redisUrl || !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError("REDIS_URL must be a redis:// URL, e.g. redis://127.0.0.1:6379");
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  // The CLI worker takes the schema in the URL (`?schema=`); the server reads it from there too.
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  return {
    port,
    databaseUrl: url.toString(),
    schema,
    redisUrl,
    queueName: env.QUEUE_NAME?.trim() || "creatorsearch-steps",
    supabaseJwtSecret: env.SUPABASE_JWT_SECRET?.trim() || null,
  };
}
