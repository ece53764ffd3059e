import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_DIR, type RunningApp, buildApp, startApp } from "./app-server";

/**
 * The Next.js example in a real browser: a production build (`next build` + `next start`) on
 * SQLite, the memory queue and the in-process sandbox API, driven by Debian's Chromium.
 * Screenshots of every screen go to test/artifacts/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DIST = ".next-e2e";
const ARTIFACTS = join(APP_DIR, "test", "artifacts");
const JOB_TIMEOUT = 180_000;

let app: RunningApp;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "cs-next-e2e-"));
  await mkdir(ARTIFACTS, { recursive: true });
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    SCRAPECREATORS_API_KEY: "",
    DATABASE_URL: "",
    REDIS_URL: "",
    QSTASH_TOKEN: "",
    SUPABASE_JWT_SECRET: "",
    SQLITE_FILE: join(dataDir, "app.db"),
    SANDBOX_LATENCY_MS: "150",
  };
  await buildApp(DIST, env);
  app = await startApp(DIST, env);
  // Root in CI containers: Chromium's own sandbox needs user namespaces it may not have.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}, 20 * 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

async function newUserPage(user: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: app.url, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto("/campaigns");
  await page.waitForURL(/\/signin/);
  await page.getByLabel("User name").fill(user);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/campaigns$/);
  await expectAsync(async () => (await page.getByTestId("signed-in-as").textContent()) ?? "", (t) => t === `Signed in as ${user}`, "signed-in user");
  return { context, page };
}

/** Polls `read` until `expected` holds (vitest has no web-first browser matchers); returns the value. */
async function expectAsync(read: () => Promise<string | number | boolean>, expected: (v: any) => boolean, what: string, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    last = await read().catch((e) => e);
    if (expected(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: last value ${String(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
/** Waits for the results page of a job to reach a terminal status; returns it. */
async function waitForJobEnd(page: Page): Promise<string> {
  return (await expectAsync(
    async () => (await page.getByTestId("job-status").first().getAttribute("data-status")) ?? "",
    (s) => ["completed", "error", "timeout", "cancelled"].includes(s),
    "job status",
    JOB_TIMEOUT,
  )) as string;
}

/** Every avatar currently rendered: proxied through our origin, and actually decoded by the browser. */
async function checkAvatars(page: Page, atLeast: number) {
  const srcs = await page.locator("img.avatar").evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).getAttribute("src") ?? ""));
  expect(srcs.length).toBeGreaterThanOrEqual(atLeast);
  for (const src of srcs) expect(src.startsWith("/api/proxy/image?url=https%3A%2F%2F")).toBe(true);
  // The first cards are in view (lazy images load there): each must have decoded pixels.
  await page.waitForFunction(
    (n) => [...document.querySelectorAll<HTMLImageElement>("img.avatar")].slice(0, n).every((img) => img.complete && img.naturalWidth > 0),
    Math.min(atLeast, 4),
    { timeout: 60_000 },
  );
  const res = await page.request.get(srcs[0]!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^image\//);
}

let aliceCampaignUrl = "";
let aliceJobApiPath = "";

describe("examples/nextjs in Chromium", () => {
  it("alice: create a campaign, keyword search to 100%, cards with proxied images, filters, CSV export", async () => {
    const { context, page } = await newUserPage("alice");
    try {
      await expectAsync(() => page.getByText("No campaigns yet.").isVisible(), Boolean, "empty campaigns state");
      await shot(page, "01-campaigns-empty");

      await page.getByRole("link", { name: "Create your first campaign" }).click();
      await page.getByLabel("Name", { exact: true }).fill("Fall soups");
      await page.getByLabel("Description").fill("Cozy cooking creators for the autumn launch");
      await shot(page, "02-new-campaign-step1");
      await page.getByRole("button", { name: "Continue" }).click();
      await shot(page, "03-new-campaign-step2");
      await page.getByRole("button", { name: /Keyword search/ }).click();
      await page.waitForURL(/\/campaigns\/[^/]+\/search\/keyword$/);
      aliceCampaignUrl = new URL(page.url()).pathname.replace(/\/search\/keyword$/, "");

      expect(await page.getByLabel("TikTok").isChecked()).toBe(true);
      await page.locator('input[name="targetResults"]').fill("100");
      expect(await page.getByTestId("creator-count").textContent()).toBe("100");
      await shot(page, "04-keyword-step1");
      await page.getByRole("button", { name: "Continue" }).click();
      const keyword = page.getByLabel(/Keywords/);
      await keyword.fill("soup recipes");
      await keyword.press("Enter");
      await keyword.fill("fall cooking");
      await keyword.press("Enter");
      expect(await page.getByTestId("keywords").textContent()).toContain("fall cooking");
      await shot(page, "05-keyword-review");
      await page.getByRole("button", { name: "Start search" }).click();
      await page.waitForURL(/\/jobs\/[^/]+$/);
      const jobId = page.url().split("/").at(-1)!;
      aliceJobApiPath = `/api/scraping/tiktok?jobId=${jobId}`;

      expect(await waitForJobEnd(page)).toBe("completed");
      await expectAsync(async () => (await page.getByTestId("progress-percent").textContent()) ?? "", (t) => t === "100%", "progress 100%");
      const found = Number((await page.locator(".note.ok").textContent())!.match(/Done: (\d+) unique creators/)![1]);
      expect(found).toBeGreaterThanOrEqual(100);
      // Every creator arrives exactly once through the incremental `after=` loads.
      await expectAsync(async () => (await page.getByTestId("shown-count").textContent()) ?? "", (t) => t === `${found} of ${found} shown`, "all cards shown");
      expect(await page.getByTestId("creator-card").count()).toBe(found);
      await checkAvatars(page, 4);
      await shot(page, "06-keyword-results");

      // Filters and sorting work on the loaded creators.
      await page.getByLabel("Has email").check();
      const withEmail = Number((await page.getByTestId("shown-count").textContent())!.split(" ")[0]);
      expect(withEmail).toBeGreaterThan(0);
      expect(withEmail).toBeLessThan(found);
      const cardsText = await page.getByTestId("creator-card").allTextContents();
      expect(cardsText.every((t) => t.includes("✉"))).toBe(true);
      await page.getByLabel("Has email").uncheck();
      await page.getByLabel("Sort by").selectOption("followers");
      await shot(page, "07-results-sorted-by-followers");

      // CSV export: a real download, one row per creator, the same creators as the cards.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
      const csv = await readFile((await download.path())!, "utf8");
      const rows = parse(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
      expect(rows.length).toBe(found);
      const handleColumn = Object.keys(rows[0]!).find((k) => /handle/i.test(k));
      expect(handleColumn, `CSV columns: ${Object.keys(rows[0]!).join(",")}`).toBeDefined();
      const cardHandles = new Set(await page.locator('[data-testid="creator-card"] header a, [data-testid="creator-card"] header span').allTextContents());
      const csvHandles = rows.map((r) => `@${r[handleColumn!]!.replace(/^@/, "")}`);
      expect(new Set(csvHandles).size).toBe(found);
      for (const h of csvHandles) expect(cardHandles.has(h)).toBe(true);

      // The campaign page lists the search.
      await page.goto(aliceCampaignUrl);
      await expectAsync(() => page.getByTestId("jobs").isVisible(), Boolean, "jobs table");
      expect(await page.getByTestId("jobs").textContent()).toContain("soup recipes, fall cooking");
      await shot(page, "08-campaign-page");
    } finally {
      await context.close();
    }
  }, 10 * 60_000);

  it("alice: Instagram similar search from a handle", async () => {
    const { context, page } = await newUserPage("alice");
    try {
      await page.goto("/campaigns/new");
      await page.getByLabel("Name", { exact: true }).fill("Like cozy kitchen");
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByRole("button", { name: /Similar creators/ }).click();
      await page.waitForURL(/\/search\/similar$/);
      await page.getByLabel(/Instagram handle/).fill("@cozy.kitchen_k2j9x");
      await shot(page, "09-similar-form");
      await page.getByRole("button", { name: "Find similar creators" }).click();
      await page.waitForURL(/\/jobs\/[^/]+$/);
      expect(await page.locator("h1").textContent()).toBe("Creators similar to @cozy.kitchen_k2j9x");
      expect(await waitForJobEnd(page)).toBe("completed");
      await expectAsync(() => page.getByTestId("creator-card").count(), (n) => n > 10, "similar creators shown");
      const handles = await page.locator('[data-testid="creator-card"] header a').allTextContents();
      expect(handles).not.toContain("@cozy.kitchen_k2j9x");
      await checkAvatars(page, 4);
      await shot(page, "10-similar-results");

      await page.goto("/campaigns");
      await expectAsync(() => page.getByTestId("campaigns").locator("tbody tr").count(), (n) => n === 2, "alice's two campaigns");
      await shot(page, "11-campaigns-list");
    } finally {
      await context.close();
    }
  }, 10 * 60_000);

  it("bob cannot see alice's campaign or job", async () => {
    expect(aliceCampaignUrl, "the first test created a campaign").not.toBe("");
    const { context, page } = await newUserPage("bob");
    try {
      await expectAsync(() => page.getByText("No campaigns yet.").isVisible(), Boolean, "bob sees no campaigns");
      await shot(page, "12-bob-campaigns");
      await page.goto(aliceCampaignUrl);
      await expectAsync(async () => (await page.getByRole("alert").textContent()) ?? "", (t) => /not found/i.test(t), "alice's campaign is not found for bob");
      await shot(page, "13-bob-alice-campaign");
      const poll = await page.request.get(aliceJobApiPath);
      expect(poll.status()).toBe(404);
      const csv = await page.request.get(`/api/jobs/${new URL(aliceJobApiPath, app.url).searchParams.get("jobId")}/export.csv`);
      expect(csv.status()).toBe(404);
    } finally {
      await context.close();
    }
  }, 5 * 60_000);
});
