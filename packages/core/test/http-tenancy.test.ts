import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORIGIN, finishedJob, httpInstance } from "./http-helpers.js";
import { httpStorages } from "./http-storages.js";

const storages = await httpStorages("http-tenancy");
afterAll(async () => {
  for (const storage of storages) await storage.cleanup();
});

/*
 * Every route x another user's ids: 404, the same answer as for an id that never existed, and
 * nothing of the owner's data in it. The owner's objects are unchanged afterwards.
 */
describe.each(storages)("tenancy matrix on $name storage", (storage) => {
  const { cs, call } = httpInstance({}, { soup: [["alice-creator-1", "alice-creator-2"]] }, storage.create());
  let campaignId = "";
  let jobId = "";
  let runningJobId = "";
  beforeAll(async () => {
    ({ campaignId, jobId } = await finishedJob(cs, "alice", { keywords: ["soup"], targetResults: 100 }));
    const started = await call("POST", "/api/scraping/scripted", { user: "alice", body: { campaignId, keywords: ["endless"], targetResults: 10_000, maxApiCalls: 30 } });
    runningJobId = started.json.jobId;
    await call("POST", "/api/campaigns", { user: "mallory", body: { name: "mallory's own" } });
  });
  afterAll(async () => {
    await cs.jobs.cancel("alice", runningJobId).catch(() => undefined);
    await cs.close();
  });

  const secrets = () => [campaignId, "alice's campaign", "alice-creator-1", "alice-creator-2", "alice"];
  const routes = (ids: { campaignId: string; jobId: string; runningJobId: string }) =>
    [
      ["GET", `/api/campaigns/${ids.campaignId}`],
      ["GET", `/api/scraping/scripted?jobId=${ids.jobId}`],
      ["GET", `/api/scraping/scripted?jobId=${ids.jobId}&after=0`],
      ["GET", `/api/jobs/${ids.jobId}/events`],
      ["GET", `/api/jobs/${ids.runningJobId}/events`],
      ["GET", `/api/jobs/${ids.jobId}/export.csv`],
      ["POST", `/api/jobs/${ids.runningJobId}/cancel`],
      ["POST", `/api/jobs/${ids.jobId}/cancel`],
      ["POST", "/api/scraping/scripted", { campaignId: ids.campaignId, keywords: ["x"], targetResults: 5 }],
      ["POST", "/api/scraping/scripted", { campaignId: ids.campaignId, keywords: ["x"], targetResults: 5, onlyNew: true }],
      ["GET", `/api/campaigns/${ids.campaignId}/creators`],
      ["GET", `/api/campaigns/${ids.campaignId}/creators?status=new&q=alice`],
      ["GET", `/api/campaigns/${ids.campaignId}/creators/scripted:alice-creator-1`],
      ["PATCH", `/api/campaigns/${ids.campaignId}/creators/scripted%3Aalice-creator-1`, { notes: "mallory was here" }],
      ["PATCH", `/api/campaigns/${ids.campaignId}/creators`, { ids: ["scripted:alice-creator-1", "scripted:alice-creator-2"], status: "rejected" }],
      ["GET", `/api/campaigns/${ids.campaignId}/export?format=csv`],
      ["GET", `/api/campaigns/${ids.campaignId}/export?format=json`],
    ] as const;

  it.each(routes({ campaignId: "CID", jobId: "JID", runningJobId: "RID" }).map((r, i) => [i, `${r[0]} ${r[1]}`]))(
    "route %i (%s): another user's id is a 404 like a missing one, with no data",
    async (index) => {
      const [method, path, body] = routes({ campaignId, jobId, runningJobId })[index as number]!;
      const [, missingPath, missingBody] = routes({ campaignId: "nope", jobId: "nope", runningJobId: "nope" })[index as number]!;
      const theirs = await call(method, path, { user: "mallory", ...(body ? { body } : {}) });
      const missing = await call(method, missingPath, { user: "mallory", ...(missingBody ? { body: missingBody } : {}) });
      expect(theirs.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(theirs.json.error.replaceAll(campaignId, "nope")).toBe(missing.json.error);
      // Ids the caller sent may be echoed back; nothing else of the owner's may appear.
      const sent = `${path} ${JSON.stringify(body ?? {})}`;
      for (const secret of secrets().filter((s) => !sent.includes(s))) expect(theirs.text).not.toContain(secret);
      // The owner still sees it, unchanged.
      if (method === "PATCH") {
        const own = await call("GET", `/api/campaigns/${campaignId}/creators/scripted:alice-creator-1`, { user: "alice" });
        expect(own.status).toBe(200);
        expect(own.json).toMatchObject({ status: "new", notes: null });
        return;
      }
      const own = await call(method === "POST" && path.endsWith("/cancel") ? "GET" : method, method === "POST" && path.endsWith("/cancel") ? `/api/jobs/${jobId}/export.csv` : path, {
        user: "alice",
        ...(body ? { body } : {}),
      });
      expect(own.status).toBeLessThan(300);
    },
  );

  it("lists never include another user's objects, and their running job was not cancelled", async () => {
    const list = await call("GET", "/api/campaigns", { user: "mallory" });
    expect(list.json.campaigns.map((c: { name: string }) => c.name)).toEqual(["mallory's own"]);
    for (const secret of secrets()) expect(list.text).not.toContain(secret);
    expect((await cs.jobs.get("alice", runningJobId))?.status).not.toBe("cancelled");
    expect((await cs.jobs.list("mallory")).length).toBe(0);
  });

  it("an unauthenticated caller gets 401 on every route before any lookup", async () => {
    for (const [method, path, body] of routes({ campaignId, jobId, runningJobId })) {
      const response = await cs.handler(
        new Request(`${ORIGIN}${path}`, { method, ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}) }),
      );
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain("alice");
    }
  });
});
