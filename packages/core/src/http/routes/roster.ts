import { z } from "zod";
import { RosterPatchSchema, RosterStatusSchema } from "../../model/roster.js";
import { MAX_ROSTER_BATCH } from "../../engine/roster.js";
import { RosterEntryAnswer, RosterPageAnswer, RosterUpdateAnswer } from "../contract/answers.js";
import { badRequest, json, notFound } from "../errors.js";
import { ID_PATTERN, intParam, parseQuery, readJsonObject } from "../request.js";
import type { Route, RouteContext } from "../router.js";
import { textStream } from "../text-stream.js";

const TAGS = ["roster"];
const CAMPAIGN_NOT_FOUND = { description: "No such campaign among yours (another user's answers the same)" };

/** A roster id: `<platform>:<platform id>` (anything else cannot exist: 404). */
const ROSTER_ID_PATTERN = /^[a-z0-9_-]{1,40}:[\w.@-]{1,200}$/;

const CampaignParams = z.object({ id: z.string().regex(ID_PATTERN).describe("The campaign id (anything else answers 404)") });
const EntryParams = CampaignParams.extend({
  creatorId: z.string().regex(ROSTER_ID_PATTERN).describe("The roster entry id, `<platform>:<platform id>` (URL-encoded; anything else answers 404)"),
});

const Filters = z.object({
  status: RosterStatusSchema.optional().describe("Only entries with this status"),
  platform: z.string().min(1, "must not be empty").max(50, "must be at most 50 characters").optional().describe("Only entries of this platform"),
  tag: z.string().min(1, "must not be empty").max(50, "must be at most 50 characters").optional().describe("Only entries with this tag"),
  q: z.string().max(100, "must be at most 100 characters").optional().describe("Only entries whose handle or name contains this text (case-insensitive)"),
});
const ListQuery = Filters.extend({
  limit: intParam(1, 200).optional(),
  after: z.string().regex(/^\d{1,15}$/, "must be a cursor returned by a previous page (nextCursor)").optional(),
});
const ExportQuery = Filters.extend({ format: z.enum(["csv", "json"], { error: 'must be "csv" or "json"' }).default("csv") });

/** The body of a bulk update: the ids, and the fields to set on each. */
const BulkPatch = z
  .object({
    ids: z.array(z.string().min(1).max(300)).min(1).max(MAX_ROSTER_BATCH).describe("Roster entry ids"),
    status: RosterStatusSchema,
    notes: z.string().max(5000).nullable(),
    tags: z.array(z.string().min(1).max(50)).max(20),
  })
  .partial({ status: true, notes: true, tags: true });

/** The campaign id of the path, or a 404 for one that cannot exist. */
function campaignIdOf({ params }: RouteContext): string {
  const id = params.id!;
  if (!ID_PATTERN.test(id)) throw notFound("Campaign");
  return id;
}

/** The roster entry id of the path, or a 404 for one that cannot exist. */
function entryIdOf({ params }: RouteContext): string {
  const id = params.creatorId!;
  if (!ROSTER_ID_PATTERN.test(id)) throw notFound("Roster entry");
  return id;
}

const filtersOf = (query: z.output<typeof Filters>) => ({
  ...(query.status ? { status: query.status } : {}),
  ...(query.platform ? { platform: query.platform } : {}),
  ...(query.tag ? { tag: query.tag } : {}),
  ...(query.q ? { q: query.q } : {}),
});

/** `GET /campaigns/:id/creators?limit=&after=&status=&platform=&tag=&q=`: a page of the campaign's roster. */
export const listRoster: Route = {
  method: "GET",
  path: "/campaigns/:id/creators",
  doc: {
    operationId: "listRoster",
    summary: "The campaign's creators: one entry per creator any of its jobs found",
    description: "In the order creators joined the roster; filters combine. Page with `after=<nextCursor>` while `hasMore`.",
    tags: TAGS,
    params: CampaignParams,
    query: ListQuery,
    answers: { 200: { description: "A page of the roster", json: RosterPageAnswer }, 404: CAMPAIGN_NOT_FOUND },
  },
  async handle(ctx) {
    const campaignId = campaignIdOf(ctx);
    const query = parseQuery(ctx.url, ListQuery);
    const page = await ctx.cs.campaigns.creators.list(ctx.userId, campaignId, {
      ...filtersOf(query),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.after === undefined ? {} : { after: query.after }),
    });
    return json(page);
  },
};

/** `GET /campaigns/:id/creators/:creatorId`: one roster entry. */
export const getRosterEntry: Route = {
  method: "GET",
  path: "/campaigns/:id/creators/:creatorId",
  doc: {
    operationId: "getRosterEntry",
    summary: "One creator of the campaign's roster",
    tags: TAGS,
    params: EntryParams,
    answers: { 200: { description: "The roster entry", json: RosterEntryAnswer }, 404: { description: "No such campaign among yours, or no such creator on its roster" } },
  },
  async handle(ctx) {
    const campaignId = campaignIdOf(ctx);
    const entry = await ctx.cs.campaigns.creators.get(ctx.userId, campaignId, entryIdOf(ctx));
    if (!entry) throw notFound("Roster entry");
    return json(entry);
  },
};

/** `PATCH /campaigns/:id/creators/:creatorId` with `{ status?, notes?, tags? }`: answers the updated entry. */
export const updateRosterEntry: Route = {
  method: "PATCH",
  path: "/campaigns/:id/creators/:creatorId",
  doc: {
    operationId: "updateRosterEntry",
    summary: "Set a creator's status, notes or tags in the campaign",
    tags: TAGS,
    params: EntryParams,
    body: RosterPatchSchema,
    answers: { 200: { description: "The updated entry", json: RosterEntryAnswer }, 404: { description: "No such campaign among yours, or no such creator on its roster" } },
  },
  async handle(ctx) {
    const campaignId = campaignIdOf(ctx);
    const id = entryIdOf(ctx);
    const body = await readJsonObject(ctx.request, ctx.options.maxBodyBytes);
    return json(await ctx.cs.campaigns.creators.update(ctx.userId, campaignId, id, body as never));
  },
};

/** `PATCH /campaigns/:id/creators` with `{ ids, status?, notes?, tags? }`: the same change on many entries. */
export const updateRosterEntries: Route = {
  method: "PATCH",
  path: "/campaigns/:id/creators",
  doc: {
    operationId: "updateRosterEntries",
    summary: "Set the status, notes or tags of many creators of the campaign at once",
    tags: TAGS,
    params: CampaignParams,
    body: BulkPatch,
    answers: { 200: { description: "The updated entries, and the ids not on the roster", json: RosterUpdateAnswer }, 404: CAMPAIGN_NOT_FOUND },
  },
  async handle(ctx) {
    const campaignId = campaignIdOf(ctx);
    const { ids, ...patch } = await readJsonObject(ctx.request, ctx.options.maxBodyBytes);
    if (!Array.isArray(ids)) throw badRequest("ids", "must be an array of roster ids");
    return json(await ctx.cs.campaigns.creators.updateMany(ctx.userId, campaignId, ids as string[], patch as never));
  },
};

/** `GET /campaigns/:id/export?format=csv|json` (+ the list's filters): the roster, streamed. */
export const exportRoster: Route = {
  method: "GET",
  path: "/campaigns/:id/export",
  doc: {
    operationId: "exportRoster",
    summary: "The campaign's roster as CSV or JSON, with status, notes, tags and links",
    tags: TAGS,
    params: CampaignParams,
    query: ExportQuery,
    answers: {
      200: {
        description: "One row (CSV, with a header row) or object (a JSON array) per roster entry, streamed",
        content: { "text/csv": { schema: { type: "string" } }, "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/RosterEntry" } } } },
      },
      404: CAMPAIGN_NOT_FOUND,
    },
  },
  async handle(ctx) {
    const campaignId = campaignIdOf(ctx);
    const { format, ...query } = parseQuery(ctx.url, ExportQuery);
    const campaign = await ctx.cs.campaigns.get(ctx.userId, campaignId);
    if (!campaign) throw notFound("Campaign");
    const chunks = ctx.cs.campaigns.creators.export(ctx.userId, campaignId, { format, ...filtersOf(query) });
    return new Response(textStream(chunks), {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="roster-${campaignId}.${format}"`,
        "cache-control": "no-store",
      },
    });
  },
};
