import { ConfigurationError } from "@creatorsearch/core";
import { describe, expect, it } from "vitest";
import { bullmqQueue, idempotencyKeyOf, jobIdOf } from "../src/index.js";

describe("jobIdOf", () => {
  it("maps a step key to an id BullMQ accepts, and back", () => {
    const key = "2f1c9a7e-6a1b-4c55-9d1e-0c3c8e0d1f22:k0:12";
    const id = jobIdOf(key);
    expect(id).not.toContain(":");
    expect(idempotencyKeyOf(id)).toBe(key);
  });

  it("never yields an all-digit id", () => {
    expect(jobIdOf("12345")).not.toMatch(/^\d+$/);
    expect(idempotencyKeyOf(jobIdOf("12345"))).toBe("12345");
  });

  it("keeps distinct keys distinct", () => {
    const keys = ["a:b", "a%3Ab", "a/b", "a b", "ä:1", "s-x"];
    expect(new Set(keys.map(jobIdOf)).size).toBe(keys.length);
  });

  it("refuses an empty key and ids it did not make", () => {
    expect(() => jobIdOf("")).toThrow(TypeError);
    expect(idempotencyKeyOf("42")).toBeNull();
    expect(idempotencyKeyOf("s-%E0%A4%A")).toBeNull();
  });
});

describe("bullmqQueue options", () => {
  it("needs exactly one of url or connection", () => {
    expect(() => bullmqQueue({} as never)).toThrow(ConfigurationError);
    expect(() => bullmqQueue({ url: "redis://127.0.0.1:6379", connection: {} })).toThrow(/exactly one/);
  });

  it("refuses a non-Redis url and bad numbers with a clear message", () => {
    expect(() => bullmqQueue({ url: "http://127.0.0.1:6379" })).toThrow(/redis:\/\//);
    expect(() => bullmqQueue({ url: "redis://127.0.0.1:6379", concurrency: 0 })).toThrow(/concurrency must be a whole number >= 1/);
    expect(() => bullmqQueue({ url: "redis://127.0.0.1:6379", limiter: { max: 0, duration: 1000 } })).toThrow(/limiter.max/);
    expect(() => bullmqQueue({ url: "redis://127.0.0.1:6379", queueName: "a:b" })).toThrow(/queueName/);
  });
});

describe("bullmqQueue.ready", () => {
  it("names the unreachable Redis (without the password) after its timeout", async () => {
    const queue = bullmqQueue({ url: "redis://user:s3cret@127.0.0.1:1/0" });
    try {
      const error = await queue.ready(300).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/Cannot connect to Redis at 127\.0\.0\.1:1\/0 within 300 ms/);
      expect((error as Error).message).not.toContain("s3cret");
    } finally {
      await queue.close();
    }
  });
});
