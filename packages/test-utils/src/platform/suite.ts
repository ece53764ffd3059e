import { createSandbox } from "@creatorsearch/sandbox";
import {
  CreatorSchema,
  InsufficientCreditsError,
  type PlatformAdapter,
  RetryAfterError,
  UpstreamAuthError,
  UpstreamShapeError,
  UpstreamUnavailableError,
  isRetryable,
} from "@creatorsearch/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chainOf, firstStep, jobOf, step, thrown } from "./drive.js";
import type { PlatformHarness } from "./harness.js";
import { type FakeUpstream, startFakeUpstream } from "./upstream.js";

const ids = (creators: readonly { id: string }[]) => creators.map((c) => c.id);

/**
 * The contract every platform adapter must meet, as a vitest suite, run against a real local
 * HTTP server that answers with recorded shapes (the sandbox by default):
 *
 * - paging every chain to its end: one upstream call per step, cursors that never repeat,
 *   `nextCursor` `null` exactly when `hasMore` is `false`, valid creators of this platform,
 *   one per id on a page, and `parsePage` pure (the same raw page gives the same result);
 * - duplicated items collapse into one creator each; missing optional fields give `null`
 *   (never 0), not an error;
 * - 401 -> `UpstreamAuthError`, 402 -> `InsufficientCreditsError` (neither retryable),
 *   429 with `Retry-After` -> `RetryAfterError` with that delay, 500 -> a retryable
 *   `UpstreamUnavailableError`;
 * - a changed response shape -> `UpstreamShapeError` naming the field path;
 * - extra upstream calls (enrichment) exactly as many as `reserveApiCalls` granted: never
 *   beyond the budget, and none reserved but left unmade.
 *
 * @example
 * ```ts
 * platformConformanceSuite("tiktok keyword", {
 *   create: ({ baseUrl, apiKey }) => tiktok({ baseUrl, apiKey, retries: 0 }),
 *   request: { mode: "keyword", keywords: ["sourdough"], targetHandle: null },
 *   stripOptional: (body) => ...,
 *   duplicate: (body) => ...,
 *   changeShape: { mutate: (body) => ..., field: "search_item_list.0.author" },
 * });
 * ```
 */
export function platformConformanceSuite(name: string, harness: PlatformHarness): void {
  const maxPages = harness.maxPages ?? 30;
  let upstream: FakeUpstream;
  let adapter: PlatformAdapter;
  const request = harness.request;

  describe(`platform conformance: ${name}`, () => {
    beforeAll(async () => {
      const sandbox = createSandbox({ resultsPerQuery: 60 });
      upstream = await startFakeUpstream(harness.respond ?? ((r) => sandbox.fetch(r)));
      adapter = harness.create({ baseUrl: upstream.baseUrl, apiKey: upstream.apiKey });
    });
    afterEach(() => upstream.reset());
    afterAll(() => upstream?.close());

    it("supports the mode and plans chains with queue-safe keys", () => {
      expect(adapter.modes).toContain(request.mode);
      const seeds = adapter.planChains(request);
      expect(seeds.length).toBeGreaterThan(0);
      for (const seed of seeds) expect(seed.key).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(new Set(seeds.map((s) => s.key)).size).toBe(seeds.length);
    });

    it("pages every chain to its end, one upstream call per step, with valid creators", async () => {
      const job = jobOf(adapter, request);
      let longest = 0;
      for (const seed of adapter.planChains(request)) {
        const cursors = new Set<string>();
        let chain = chainOf(seed);
        for (let n = 0; ; n++) {
          expect(n, `chain ${seed.key} did not end within ${maxPages} pages`).toBeLessThan(maxPages);
          const before = upstream.requests.length;
          const { raw, page } = await step(adapter, { job, chain });
          expect(upstream.requests.length - before, "upstream calls of one step without reserveApiCalls").toBe(1);
          expect(adapter.parsePage(raw, { job, chain }), "parsePage must be pure").toEqual(page);
          for (const creator of page.creators) {
            const parsed = CreatorSchema.safeParse(creator);
            expect(parsed.success, `creator ${creator.id}: ${parsed.error?.message}`).toBe(true);
            expect(creator.platform).toBe(adapter.id);
          }
          expect(new Set(ids(page.creators)).size, "one creator per id on a page").toBe(page.creators.length);
          expect(page.nextCursor === null, "nextCursor is null exactly when hasMore is false").toBe(!page.hasMore);
          if (!page.hasMore) {
            longest = Math.max(longest, n + 1);
            break;
          }
          expect(cursors.has(page.nextCursor!), `cursor ${page.nextCursor} came back: endless paging`).toBe(false);
          cursors.add(page.nextCursor!);
          chain = chainOf(seed, page.nextCursor, chain.step + 1);
        }
      }
      expect(longest, "the recorded search must span several pages").toBeGreaterThanOrEqual(2);
    });

    it("returns each creator once when a page repeats its items", async () => {
      const plain = (await firstStep(adapter, request)).page;
      expect(plain.creators.length).toBeGreaterThan(0);
      upstream.mode = { kind: "transform", transform: harness.duplicate };
      const doubled = (await firstStep(adapter, request)).page;
      expect(ids(doubled.creators)).toEqual(ids(plain.creators));
    });

    it("parses items without their optional fields, reporting null (never 0)", async () => {
      upstream.mode = { kind: "transform", transform: harness.stripOptional };
      const { page } = await firstStep(adapter, request);
      expect(page.creators.length).toBeGreaterThan(0);
      for (const creator of page.creators) {
        expect(CreatorSchema.safeParse(creator).success).toBe(true);
        expect(creator.followers, `followers of ${creator.id}`).toBeNull();
        expect(creator.engagement.byFollowers).toBeNull();
        for (const post of creator.posts) for (const k of ["likes", "comments", "views"] as const) expect(post[k]).not.toBe(0);
      }
    });

    it("maps 401 to a non-retryable UpstreamAuthError", async () => {
      upstream.mode = { kind: "status", status: 401, body: { success: false, message: "Invalid API key" } };
      const error = await thrown(() => firstStep(adapter, request));
      expect(error).toBeInstanceOf(UpstreamAuthError);
      expect(isRetryable(error)).toBe(false);
    });

    it("maps 402 to a non-retryable InsufficientCreditsError", async () => {
      upstream.mode = { kind: "status", status: 402, body: { success: false, message: "Insufficient credits" } };
      const error = await thrown(() => firstStep(adapter, request));
      expect(error).toBeInstanceOf(InsufficientCreditsError);
      expect(isRetryable(error)).toBe(false);
    });

    it("maps 429 to a RetryAfterError honouring Retry-After", async () => {
      upstream.mode = { kind: "status", status: 429, body: { success: false, message: "Too many requests" }, headers: { "retry-after": "7" } };
      const error = await thrown(() => firstStep(adapter, request));
      expect(error).toBeInstanceOf(RetryAfterError);
      expect((error as RetryAfterError).retryAfterMs).toBe(7000);
      expect(isRetryable(error)).toBe(true);
    });

    it("maps 500 to a retryable UpstreamUnavailableError", async () => {
      upstream.mode = { kind: "status", status: 500, body: { success: false, message: "Internal error" } };
      const error = await thrown(() => firstStep(adapter, request));
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(isRetryable(error)).toBe(true);
    });

    it("refuses a changed response shape with an UpstreamShapeError naming the field", async () => {
      upstream.mode = { kind: "transform", transform: harness.changeShape.mutate };
      const error = await thrown(() => firstStep(adapter, request));
      expect(error).toBeInstanceOf(UpstreamShapeError);
      expect(isRetryable(error)).toBe(false);
      expect((error as Error).message).toContain(harness.changeShape.field);
    });

    it("makes exactly the extra upstream calls reserveApiCalls granted", async () => {
      for (const grant of [0, 2]) {
        upstream.reset();
        let granted = 0;
        await firstStep(adapter, request, async (count) => {
          const n = Math.min(count, grant - granted);
          granted += n;
          return n;
        });
        // Never beyond the grant, and every granted call made (each was counted against the budget).
        expect(upstream.requests.length, `with ${grant} extra calls granted`).toBe(1 + granted);
      }
    });
  });
}
