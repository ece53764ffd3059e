import { ConfigurationError, NotFoundError, StorageError, StorageUnavailableError, isRetryable, memoryStorage } from "@creatorsearch/core";
import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { postgresFault } from "../src/pg/faults.js";
import { classifyFaults } from "../src/shared/faults.js";
import { sqliteFault } from "../src/sqlite/faults.js";

/** An error as a driver raises it: a message and a code. */
const driverError = (code: string, message = `failed with ${code}`) => Object.assign(new Error(message), { code });
/** The same under drizzle's wrapper, whose message carries the query's parameters. */
const wrapped = (cause: Error, params: unknown[] = ['{"bio":"mail me: secret@example.com"}']) => new DrizzleQueryError("insert into search_pages values ($1)", params, cause);

describe("postgresFault: which Postgres errors are weather", () => {
  it.each([
    ["57P01", "admin shutdown"],
    ["57P02", "crash shutdown"],
    ["57P03", "cannot connect now"],
    ["53300", "too many connections"],
    ["40001", "serialization failure"],
    ["40P01", "deadlock detected"],
    ["57014", "statement timeout"],
    ["25006", "read-only transaction"],
    ["08006", "connection exception"],
    ["08001", "connection exception"],
    ["08P01", "connection exception"],
    ["ECONNREFUSED", "connection refused"],
    ["ECONNRESET", "connection reset"],
    ["CONNECTION_CLOSED", "connection closed"],
    ["CONNECT_TIMEOUT", "connect timed out"],
  ])("%s is transient (%s), bare or under drizzle's wrapper", (code, label) => {
    expect(postgresFault(driverError(code))).toEqual({ code, label });
    expect(postgresFault(wrapped(driverError(code)))).toEqual({ code, label });
  });

  it.each(["23505", "23503", "42P01", "42703", "22P02", "28P01", "3D000", "CONNECTION_ENDED", "CONNECTION_DESTROYED"])("%s is not", (code) => {
    expect(postgresFault(driverError(code))).toBeNull();
    expect(postgresFault(wrapped(driverError(code)))).toBeNull();
  });

  it("knows node-postgres's code-less connection errors, and looks inside an AggregateError", () => {
    expect(postgresFault(new Error("Connection terminated unexpectedly"))).toMatchObject({ label: "connection terminated" });
    expect(postgresFault(new Error("timeout exceeded when trying to connect"))).toMatchObject({ label: "connect timed out" });
    expect(postgresFault(new AggregateError([driverError("ECONNREFUSED"), driverError("ECONNREFUSED")], "all hosts failed"))).toMatchObject({ code: "ECONNREFUSED" });
    expect(postgresFault(new Error("syntax error at or near"))).toBeNull();
    expect(postgresFault("a string")).toBeNull();
    expect(postgresFault(null)).toBeNull();
  });
});

describe("sqliteFault: which SQLite errors are weather", () => {
  it.each(["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_TIMEOUT", "SQLITE_LOCKED", "SQLITE_LOCKED_SHAREDCACHE"])("%s is transient", (code) => {
    expect(sqliteFault(driverError(code))?.code).toBe(code);
    expect(sqliteFault(wrapped(driverError(code)))?.code).toBe(code);
  });
  it.each(["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CORRUPT", "SQLITE_READONLY", "SQLITE_ERROR"])("%s is not", (code) => {
    expect(sqliteFault(driverError(code))).toBeNull();
  });
});

describe("classifyFaults: what a storage method throws", () => {
  /** A memory storage whose `savePage` throws `error`. */
  const failing = (error: unknown) => classifyFaults({ ...memoryStorage(), savePage: async (_page: unknown) => Promise.reject(error) }, "Postgres", postgresFault);
  const page = { jobId: "j1", chain: "soup", step: 0, raw: { bio: "secret@example.com" }, fetchedAt: new Date(0) };

  it("a transient fault: a retryable StorageUnavailableError naming the fault, not the parameters; the driver's error as cause", async () => {
    const cause = driverError("57P01", "terminating connection due to administrator command");
    const error = await failing(wrapped(cause)).savePage(page).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error).toMatchObject({ code: "STORAGE_UNAVAILABLE", storage: "memory", reason: "57P01", retryable: true });
    expect((error as Error).message).toBe("Postgres unavailable: admin shutdown (57P01)");
    expect((error as Error).cause).toBe(cause);
    expect(isRetryable(error)).toBe(true);
  });

  it("any other driver error: a StorageError with the driver's first line, never the parameters", async () => {
    const cause = driverError("23505", 'duplicate key value violates unique constraint "search_pages_pkey"\nDETAIL: Key (job_id)=(j1) already exists.');
    const error = await failing(wrapped(cause)).savePage(page).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toBe('Postgres query failed: duplicate key value violates unique constraint "search_pages_pkey"');
    expect((error as Error).message).not.toContain("secret@example.com");
    expect((error as Error).cause).toBe(cause);
    expect(isRetryable(error)).toBe(true);
  });

  it("errors raised on purpose pass through; a failed first connect is weather when its cause is", async () => {
    const notFound = new NotFoundError("Job", "j1");
    expect(await failing(notFound).savePage(page).catch((e: unknown) => e)).toBe(notFound);
    const refused = new ConfigurationError("Cannot connect to Postgres at 127.0.0.1:1/test: connect ECONNREFUSED", { cause: driverError("ECONNREFUSED") });
    const error = await failing(refused).savePage(page).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect((error as Error).message).toBe(refused.message);
    const badPassword = new ConfigurationError("Cannot connect to Postgres: password authentication failed", { cause: driverError("28P01") });
    expect(await failing(badPassword).savePage(page).catch((e: unknown) => e)).toBe(badPassword);
  });

  it("leaves close and the results alone", async () => {
    const storage = classifyFaults(memoryStorage(), "Postgres", postgresFault);
    await storage.savePage(page);
    expect((await storage.getPage("j1", "soup", 0))?.raw).toEqual(page.raw);
    await storage.close();
  });
});
