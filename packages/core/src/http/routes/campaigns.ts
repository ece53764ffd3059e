import { z } from "zod";
import { notFound, json } from "../errors.js";
import { ID_PATTERN, intParam, parseQuery, readJsonObject } from "../request.js";
import type { Route } from "../router.js";
import { toJobProgress } from "../views.js";

const ListQuery = z.object({
  limit: intParam(1, 200).optional(),
  offset: intParam(0, 1_000_000).optional(),
  includeArchived: z.enum(["true", "false"], { error: 'must be "true" or "false"' }).optional(),
});

/** `POST /campaigns`: the blueprint's body `{ name, description, searchType }` (+ `platforms`); answers the campaign. */
export const createCampaign: Route = {
  method: "POST",
  path: "/campaigns",
  async handle({ cs, request, userId, options }) {
    const body = await readJsonObject(request, options.maxBodyBytes);
    const { name, description, searchType, platforms } = body;
    const campaign = await cs.campaigns.create(userId, { name, description, searchType, platforms } as never);
    return json(campaign, { status: 201 });
  },
};

/** `GET /campaigns?limit=&offset=&includeArchived=`: `{ campaigns }`, newest first. */
export const listCampaigns: Route = {
  method: "GET",
  path: "/campaigns",
  async handle({ cs, url, userId }) {
    const query = parseQuery(url, ListQuery);
    const campaigns = await cs.campaigns.list(userId, {
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.offset === undefined ? {} : { offset: query.offset }),
      includeArchived: query.includeArchived === "true",
    });
    return json({ campaigns });
  },
};

/** `GET /campaigns/:id`: the campaign and its latest jobs (`jobs`, progress fields only). */
export const getCampaign: Route = {
  method: "GET",
  path: "/campaigns/:id",
  async handle({ cs, params, userId }) {
    const id = params.id!;
    const campaign = ID_PATTERN.test(id) ? await cs.campaigns.get(userId, id) : null;
    if (!campaign) throw notFound("Campaign");
    const jobs = await cs.jobs.list(userId, { campaignId: id, limit: 50 });
    return json({
      ...campaign,
      jobs: jobs.map((job) => ({ ...toJobProgress(job), platform: job.platform, keywords: job.keywords, targetHandle: job.targetHandle, createdAt: job.createdAt })),
    });
  },
};
