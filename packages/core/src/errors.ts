/**
 * Every error the SDK throws on purpose is a {@link CreatorSearchError} with a stable `code`.
 * Queues map the retry semantics (`retryable`, {@link RetryAfterError}) the same way, and the
 * HTTP handler maps `code` to a status with {@link ERROR_STATUS}.
 *
 * @module
 */

/** Stable error codes. */
export type ErrorCode =
  | "VALIDATION"
  | "NOT_FOUND"
  | "CONFIGURATION"
  | "RATE_LIMITED"
  | "UPSTREAM_AUTH"
  | "UPSTREAM_CREDITS"
  | "UPSTREAM_BAD_REQUEST"
  | "UPSTREAM_SHAPE"
  | "UPSTREAM_UNAVAILABLE"
  | "STEP_BUSY"
  | "STORAGE"
  | "STORAGE_UNAVAILABLE"
  | "CLOSED";

/** HTTP status for each code, used by the HTTP handler. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFIGURATION: 500,
  RATE_LIMITED: 429,
  UPSTREAM_AUTH: 502,
  UPSTREAM_CREDITS: 502,
  UPSTREAM_BAD_REQUEST: 502,
  UPSTREAM_SHAPE: 502,
  UPSTREAM_UNAVAILABLE: 503,
  STEP_BUSY: 409,
  STORAGE: 500,
  STORAGE_UNAVAILABLE: 503,
  CLOSED: 503,
};

/** Base class of every error the SDK raises on purpose. */
export class CreatorSearchError extends Error {
  /** Stable, machine-readable code. */
  readonly code: ErrorCode;
  /** Whether a queue should deliver the step again after this error. */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** One failed field of a validation error. */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `keywords.2`. */
  field: string;
  /** Why it was refused. */
  reason: string;
}

/** Input that does not satisfy its schema. `issues` names each field and the reason. */
export class ValidationError extends CreatorSearchError {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    const first = issues[0];
    const summary = issues.map((i) => (i.field ? `${i.field}: ${i.reason}` : i.reason)).join("; ");
    super("VALIDATION", first ? `Invalid input: ${summary}` : "Invalid input");
    this.issues = issues;
  }
}

/** The object does not exist, or belongs to another user (the two are indistinguishable on purpose). */
export class NotFoundError extends CreatorSearchError {
  constructor(what: string, id: string) {
    super("NOT_FOUND", `${what} ${id} not found`);
  }
}

/** The SDK was configured wrongly (a missing API key, an unknown platform...). */
export class ConfigurationError extends CreatorSearchError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("CONFIGURATION", message, options);
  }
}

/**
 * Try again after `retryAfterMs`. Queues re-deliver the step after that delay without
 * counting it as a failed attempt (memory: re-delay; BullMQ: rate limit; QStash: `Retry-After`).
 */
export class RetryAfterError extends CreatorSearchError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: { cause?: unknown; code?: ErrorCode } = {}) {
    super(options.code ?? "RATE_LIMITED", message, { ...options, retryable: true });
    this.retryAfterMs = Math.max(0, Math.round(retryAfterMs));
  }
}

/** A step that another worker holds right now; re-delivered once the lease may have ended. */
export class StepBusyError extends RetryAfterError {
  constructor(jobId: string, chain: string, step: number, retryAfterMs: number) {
    super(`Step ${jobId}/${chain}/${step} is held by another worker`, retryAfterMs, { code: "STEP_BUSY" });
  }
}

/** ScrapeCreators refused the API key (401, or its "apiKey is required" answer). Not retried. */
export class UpstreamAuthError extends CreatorSearchError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("UPSTREAM_AUTH", message, options);
  }
}

/** ScrapeCreators answered 402: the account has no credits left. Not retried. */
export class InsufficientCreditsError extends CreatorSearchError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("UPSTREAM_CREDITS", message, options);
  }
}

/** ScrapeCreators refused the request parameters (400 / 404). Not retried. */
export class UpstreamBadRequestError extends CreatorSearchError {
  readonly status: number;
  constructor(status: number, message: string, options: { cause?: unknown } = {}) {
    super("UPSTREAM_BAD_REQUEST", message, options);
    this.status = status;
  }
}

/** An upstream answer did not have the expected shape; `path` names the field. Not retried. */
export class UpstreamShapeError extends CreatorSearchError {
  readonly endpoint: string;
  readonly issues: FieldIssue[];
  constructor(endpoint: string, issues: FieldIssue[]) {
    const list = issues.slice(0, 5).map((i) => `${i.field || "(root)"}: ${i.reason}`).join("; ");
    super("UPSTREAM_SHAPE", `Unexpected response from ${endpoint}: ${list}`);
    this.endpoint = endpoint;
    this.issues = issues;
  }
}

/** The upstream API failed (network, timeout, 5xx) after the client's own retries. Retried by queues. */
export class UpstreamUnavailableError extends CreatorSearchError {
  readonly status: number | undefined;
  constructor(message: string, options: { cause?: unknown; status?: number } = {}) {
    super("UPSTREAM_UNAVAILABLE", message, { cause: options.cause, retryable: true });
    this.status = options.status;
  }
}

/**
 * The storage could not answer for a while: connection lost or refused, server restarting or
 * failing over, too many connections, a serialization failure or deadlock, a statement timeout,
 * a locked SQLite file. Retryable: the same call may succeed once the database is back. Each
 * storage adapter classifies its driver's errors into this one class, in one place.
 *
 * The message names only the kind of fault (e.g. `Postgres unavailable: admin shutdown
 * (57P01)`), never the failed query's parameters (they may hold a raw page with emails); the
 * driver's error stays in `cause` for debugging.
 */
export class StorageUnavailableError extends CreatorSearchError {
  /** The storage adapter's id, e.g. `"postgres"`. */
  readonly storage: string;
  /** The driver's code for the fault when it has one, e.g. `"57P01"`, `"ECONNREFUSED"`, `"SQLITE_BUSY"`. */
  readonly reason: string | undefined;
  constructor(storage: string, message: string, options: { cause?: unknown; reason?: string } = {}) {
    super("STORAGE_UNAVAILABLE", message, { cause: options.cause, retryable: true });
    this.storage = storage;
    this.reason = options.reason;
  }
}

/**
 * A storage call failed for a reason other than unavailability (a constraint, a bug, a schema
 * out of date). Retryable like any unexpected error. The message carries the driver's own
 * message, never the failed query's parameters; the driver's error stays in `cause`.
 */
export class StorageError extends CreatorSearchError {
  /** The storage adapter's id, e.g. `"postgres"`. */
  readonly storage: string;
  constructor(storage: string, message: string, options: { cause?: unknown } = {}) {
    super("STORAGE", message, { cause: options.cause, retryable: true });
    this.storage = storage;
  }
}

/** True when `error` is a {@link StorageUnavailableError}: the storage may answer if asked again. */
export function isStorageUnavailable(error: unknown): error is StorageUnavailableError {
  return error instanceof StorageUnavailableError;
}

/** The object was closed and cannot take more work. */
export class ClosedError extends CreatorSearchError {
  constructor(what: string) {
    super("CLOSED", `${what} is closed`);
  }
}

/** True when a queue should deliver the step again after `error`. Unknown errors are retryable. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof CreatorSearchError) return error.retryable;
  return true;
}
