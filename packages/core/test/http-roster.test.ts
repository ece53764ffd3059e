import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishedJob, httpInstance } from "./http-helpers.js";
import { httpStorages } from "./http-storages.js";

const storages = await httpStorages("http-roster");
afterAll(async () => {
  for (const storage of storages) await storage.cleanup();
});

/** The roster routes over HTTP, on every storage: answers true to the OpenAPI document (the caller checks each). */
describe.each(storages)("roster routes on $name storage", (storage) => {
  const { cs, call, fetches } = httpInstance({}, { soup: [["a", "b", "c"], ["d", "e"]], stew: [["c", "d", "f"], ["g"]] }, storage.create());
  let campaignId = "";
  beforeAll(async () => {
    ({ campaignId } = await finishedJob(cs, "alice", { keywords: ["soup"], targetResults: 100 }));
  });
  afterAll(() => cs.close());

  it("lists the campaign's creators once each, pages with after=, and filters", async () => {
    const first = await call("GET", `/api/campaigns/${campaignId}/creators?limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.items.map((e: { id: string }) => e.id)).toEqual(["scripted:a", "scripted:b"]);
    expect(first.json.items[0]).toMatchObject({ platform: "scripted", handle: "a", status: "new", notes: null, tags: [], links: [], linked: [] });
    expect(first.json.items[0].foundBy).toHaveLength(1);
    expect(first.json.hasMore).toBe(true);
    const rest = await call("GET", `/api/campaigns/${campaignId}/creators?limit=200&after=${first.json.nextCursor}`);
    expect(rest.json.items.map((e: { id: string }) => e.id)).toEqual(["scripted:c", "scripted:d", "scripted:e"]);
    expect(rest.json.hasMore).toBe(false);
    const q = await call("GET", `/api/campaigns/${campaignId}/creators?q=D&platform=scripted&status=new`);
    expect(q.json.items.map((e: { id: string }) => e.id)).toEqual(["scripted:d"]);
  });

  it("PATCH sets status, notes and tags of one entry or many, and later searches keep them", async () => {
    const one = await call("PATCH", `/api/campaigns/${campaignId}/creators/${encodeURIComponent("scripted:c")}`, { body: { status: "shortlisted", notes: "warm", tags: ["vegan"] } });
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id: "scripted:c", status: "shortlisted", notes: "warm", tags: ["vegan"] });
    const many = await call("PATCH", `/api/campaigns/${campaignId}/creators`, { body: { ids: ["scripted:a", "scripted:b", "scripted:nobody"], status: "contacted" } });
    expect(many.status).toBe(200);
    expect(many.json.items.map((e: { id: string; status: string }) => `${e.id}=${e.status}`)).toEqual(["scripted:a=contacted", "scripted:b=contacted"]);
    expect(many.json.notFound).toEqual(["scripted:nobody"]);

    // A second, overlapping search with onlyNew: c and d are known, f and g are new.
    const started = await call("POST", "/api/scraping/scripted", { body: { campaignId, keywords: ["stew"], targetResults: 100, onlyNew: true } });
    expect(started.status).toBe(202);
    await cs.jobs.wait("alice", started.json.jobId, { timeoutMs: 10_000 });
    const poll = await call("GET", `/api/scraping/scripted?jobId=${started.json.jobId}`);
    expect(poll.json).toMatchObject({ processedResults: 2, skippedKnown: 2 });
    expect(poll.json.results[0].creators.map((c: { creator: { handle: string } }) => c.creator.handle)).toEqual(["f", "g"]);
    const c = await call("GET", `/api/campaigns/${campaignId}/creators/scripted:c`);
    expect(c.json).toMatchObject({ status: "shortlisted", notes: "warm", tags: ["vegan"] });
    expect(c.json.foundBy.map((s: { inputs: string[] }) => s.inputs)).toEqual([["soup"], ["stew"]]);
    expect((await call("GET", `/api/campaigns/${campaignId}/creators?tag=vegan`)).json.items).toHaveLength(1);
    expect(fetches.filter((f) => f.startsWith("stew"))).toEqual(["stew#0", "stew#1"]);
  });

  it("exports the roster as CSV and JSON, with the filters", async () => {
    const csv = await call("GET", `/api/campaigns/${campaignId}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toContain("status,notes,tags,links");
    expect(lines).toHaveLength(1 + 7);
    const json = await call("GET", `/api/campaigns/${campaignId}/export?format=json&status=contacted`);
    expect(json.json.map((e: { id: string }) => e.id)).toEqual(["scripted:a", "scripted:b"]);
  });

  it("answers 400 naming the field for bad input", async () => {
    const bad = async (method: string, path: string, body?: unknown) => {
      const answer = await call(method, path, body === undefined ? {} : { body });
      expect(answer.status, answer.text).toBe(400);
      return answer.json.issues.map((i: { field: string }) => i.field);
    };
    const entry = `/api/campaigns/${campaignId}/creators/scripted:a`;
    expect(await bad("PATCH", entry, { status: "maybe" })).toEqual(["status"]);
    expect(await bad("PATCH", entry, { notes: 42 })).toEqual(["notes"]);
    expect(await bad("PATCH", entry, { tags: ["ok", ""] })).toEqual(["tags.1"]);
    expect(await bad("PATCH", entry, { tags: "vegan" })).toEqual(["tags"]);
    expect(await bad("PATCH", entry, { colour: "red", status: "new" })).toEqual(["colour"]);
    expect(await bad("PATCH", `/api/campaigns/${campaignId}/creators`, { status: "new" })).toEqual(["ids"]);
    expect(await bad("PATCH", `/api/campaigns/${campaignId}/creators`, { ids: [], status: "new" })).toEqual(["ids"]);
    expect(await bad("GET", `/api/campaigns/${campaignId}/creators?limit=0`)).toEqual(["limit"]);
    expect(await bad("GET", `/api/campaigns/${campaignId}/creators?after=abc`)).toEqual(["after"]);
    expect(await bad("GET", `/api/campaigns/${campaignId}/creators?status=maybe`)).toEqual(["status"]);
    expect(await bad("GET", `/api/campaigns/${campaignId}/export?format=xml`)).toEqual(["format"]);
    expect(await bad("POST", "/api/scraping/scripted", { campaignId, keywords: ["x"], onlyNew: "yes" })).toEqual(["onlyNew"]);
    const wrong = await call("PUT", entry, { body: { status: "new" } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, PATCH");
    expect((await call("GET", `/api/campaigns/${campaignId}/creators/not-an-id`)).status).toBe(404);
    expect((await call("GET", `/api/campaigns/${campaignId}/creators/scripted:zz`)).status).toBe(404);
  });
});
