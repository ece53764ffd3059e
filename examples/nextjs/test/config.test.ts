import { describe, expect, it } from "vitest";
import { appAuthenticate } from "../lib/server/auth";
import { AppConfigError, readConfig } from "../lib/server/config";

describe("examples/nextjs configuration", () => {
  it("defaults to SQLite, the memory queue, the sandbox and local sign-in", () => {
    expect(readConfig({})).toEqual({
      apiKey: null,
      databaseUrl: null,
      databaseSchema: null,
      sqliteFile: ".data/creatorsearch.db",
      redisUrl: null,
      queueName: "creatorsearch-steps",
      qstash: null,
      runWorker: true,
      supabaseJwtSecret: null,
      allowDevAuth: false,
      sandboxLatencyMs: 300,
      jobTimeoutMs: null,
    });
  });

  it("reads Postgres, BullMQ, a separate worker and a real key from the environment", () => {
    const config = readConfig({ DATABASE_URL: "postgres://u@db:5432/app?schema=tenant_1", REDIS_URL: "redis://r:6379", CREATORSEARCH_WORKER: "false", SCRAPECREATORS_API_KEY: " sk_1 " });
    expect(config).toMatchObject({ databaseUrl: "postgres://u@db:5432/app", databaseSchema: "tenant_1", redisUrl: "redis://r:6379", runWorker: false, apiKey: "sk_1" });
  });

  it("names the variable of every bad setting", () => {
    expect(() => readConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => readConfig({ REDIS_URL: "redis://r", QSTASH_TOKEN: "t" })).toThrow(/REDIS_URL .* or QSTASH_TOKEN .*, not both/);
    expect(() => readConfig({ QSTASH_TOKEN: "t" })).toThrow(/QSTASH_TOKEN needs PUBLIC_URL/);
    expect(() => readConfig({ CREATORSEARCH_WORKER: "maybe" })).toThrow(/CREATORSEARCH_WORKER must be true or false/);
    expect(() => readConfig({ SANDBOX_LATENCY_MS: "-5" })).toThrow(/SANDBOX_LATENCY_MS must be a whole number/);
    expect(() => readConfig({ JOB_TIMEOUT_MS: "1h" })).toThrow(/JOB_TIMEOUT_MS must be a whole number/);
    expect(readConfig({ JOB_TIMEOUT_MS: "60000" }).jobTimeoutMs).toBe(60_000);
    expect(() => readConfig({ DATABASE_URL: "mysql://x" })).toThrow(AppConfigError);
  });

  it("builds the QStash callback from PUBLIC_URL", () => {
    expect(readConfig({ QSTASH_TOKEN: "t", PUBLIC_URL: "https://app.example.com/" }).qstash).toEqual({
      token: "t",
      callbackUrl: "https://app.example.com/api/qstash/process-scraping",
    });
  });
});

describe("examples/nextjs sign-in", () => {
  const request = (cookie?: string) => new Request("http://app.test/api/campaigns", cookie ? { headers: { cookie } } : {});

  it("local sign-in: the cs_user cookie is the user, validated by devAuth", async () => {
    const auth = appAuthenticate(readConfig({}));
    expect(await auth(request("theme=dark; cs_user=alice"))).toEqual({ userId: "alice" });
    expect(await auth(request())).toBeNull();
    expect(await auth(request("cs_user=not%20valid%20%3Cscript%3E"))).toBeNull();
    // The header devAuth normally reads is not how this app signs in: without the cookie, nobody.
    expect(await auth(new Request("http://app.test/api/campaigns", { headers: { "x-user-id": "mallory" } }))).toBeNull();
  });

  it("refuses the local user picker with a real key unless asked for, and uses Supabase when configured", async () => {
    expect(() => appAuthenticate(readConfig({ SCRAPECREATORS_API_KEY: "sk_1" }))).toThrow(/SUPABASE_JWT_SECRET .* or CREATORSEARCH_DEV_AUTH=true/);
    const allowed = appAuthenticate(readConfig({ SCRAPECREATORS_API_KEY: "sk_1", CREATORSEARCH_DEV_AUTH: "true" }));
    expect(await allowed(request("cs_user=bob"))).toEqual({ userId: "bob" });
    const supabase = appAuthenticate(readConfig({ SUPABASE_JWT_SECRET: "0123456789abcdef0123456789abcdef" }));
    // A cookie is not a Supabase token.
    expect(await Promise.resolve(supabase(request("cs_user=alice"))).catch(() => null)).toBeNull();
  });
});
