import { InvalidArgumentError } from "commander";

/**
 * Option parsers for commander: each refuses a bad value while the flags are parsed, before a
 * command opens anything, and commander prints the reason as one line (exit code 2).
 */

/** A whole number from `min` to `max`, written as plain digits (no `1e3`, no `0x10`, no sign). */
export const int =
  (flag: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}`);
    return n;
  };

/** Text that is not empty or only spaces (ids, names, hosts), kept as typed. */
export const nonEmpty =
  (flag: string, max = 200) =>
  (value: string): string => {
    if (!value.trim()) throw new InvalidArgumentError(`${flag} must not be empty`);
    if (value.length > max) throw new InvalidArgumentError(`${flag} must be at most ${max} characters`);
    return value;
  };

/** `--db`: a SQLite file path, or a Postgres URL that parses (its server is tried later). */
export const dbTarget = (value: string): string => {
  if (!value.trim()) throw new InvalidArgumentError("--db must be a SQLite file or a postgres:// URL");
  if (/^postgres(ql)?:\/\//i.test(value)) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (!url?.hostname) throw new InvalidArgumentError("--db is not a valid Postgres URL: expected postgres://user:password@host:port/database");
  } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(value)) {
    // mysql://, http://... would otherwise become a SQLite file of that name.
    throw new InvalidArgumentError("--db must be a SQLite file or a postgres:// URL");
  }
  return value;
};

/** `--redis`: a `redis://` or `rediss://` URL with a host. */
export const redisUrl = (value: string): string => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || !/^rediss?:$/.test(url.protocol) || !url.hostname) {
    throw new InvalidArgumentError("--redis must be a URL such as redis://127.0.0.1:6379 (or rediss:// for TLS)");
  }
  return value;
};

/** An absolute `http://` or `https://` URL (`--qstash-url`, `--public-url`). */
export const httpUrl =
  (flag: string) =>
  (value: string): string => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (!url || !/^https?:$/.test(url.protocol) || !url.hostname) throw new InvalidArgumentError(`${flag} must be an http:// or https:// URL`);
    return value;
  };

/** A BullMQ queue name: BullMQ keys are `bull:<name>:...`, so a colon would corrupt them. */
export const queueName = (value: string): string => {
  if (!/^[\w.-]{1,100}$/.test(value)) throw new InvalidArgumentError("--queue must be 1-100 letters, digits, '_', '-' or '.'");
  return value;
};

/** `--base-path`: a URL path such as `/api` (or `/` for none). */
export const basePath = (value: string): string => {
  if (!/^\/[\w\-./~]*$/.test(value)) throw new InvalidArgumentError("--base-path must be a URL path such as /api");
  return value;
};
