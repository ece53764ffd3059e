import { z } from "zod";
import { CreateCampaignInputSchema } from "../../model/campaign.js";
import { CampaignAnswer, CampaignListAnswer, CampaignWithJobsAnswer } from "../contract/answers.js";
import { notFound, json } from "../errors.js";
import { ID_PATTERN, idPathParams, intParam, parseQuery, readJsonObject } from "../request.js";
import type { Route } from "../router.js";
import { toJobProgress } from "../views.js";

const ListQuery = z.object({
  limit: intParam(1, 200).optional(),
  offset: intParam(0, 1_000_000).optional(),
  includeArchived: z.enum(["true", "false"], { error: 'must be "true" or "false"' }).optional(),
});
const TAGS = ["campaigns"];

/** `POST /campaigns`: the blueprint's body `{ name, description, searchType }` (+ `platforms`); answers the campaign. */
export const createCampaign: Route = {
  method: "POST",
  path: "/campaigns",
  doc: {
    operationId: "createCampaign",
    summary: "Create a campaign",
    tags: TAGS,
    body: CreateCampaignInputSchema,
    answers: { 201: { description: "The campaign, in status `draft`", json: CampaignAnswer } },
  },
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
  doc: {
    operationId: "listCampaigns",
    summary: "List your campaigns, newest first",
    tags: TAGS,
    query: ListQuery,
    answers: { 200: { description: "A page of campaigns", json: CampaignListAnswer } },
  },
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
  doc: {
    operationId: "getCampaign",
    summary: "A campaign and its latest 50 jobs",
    tags: TAGS,
    params: idPathParams("campaign"),
    answers: {
      200: { description: "The campaign and its jobs' progress", json: CampaignWithJobsAnswer },
      404: { description: "No such campaign among yours (another user's answers the same)" },
    },
  },
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
