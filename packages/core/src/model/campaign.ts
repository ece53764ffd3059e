import { z } from "zod";

/** How a campaign finds creators: by keywords, or creators similar to a handle. */
export const SearchTypeSchema = z.enum(["keyword", "similar"]);
export type SearchType = z.infer<typeof SearchTypeSchema>;

export const CampaignStatusSchema = z.enum(["draft", "active", "completed"]);
export type CampaignStatus = z.infer<typeof CampaignStatusSchema>;

/** A user's campaign: the container of their search jobs. */
export const CampaignSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  searchType: SearchTypeSchema,
  status: CampaignStatusSchema,
  /** Platforms the campaign searches (informational; each job names its own platform). */
  platforms: z.array(z.string()),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** Set when the campaign is archived (soft delete). */
  archivedAt: z.date().nullable(),
});
export type Campaign = z.infer<typeof CampaignSchema>;

/** Input of `campaigns.create`. */
export const CreateCampaignInputSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  description: z.string().trim().max(2000, "must be at most 2000 characters").nullish(),
  searchType: SearchTypeSchema.default("keyword"),
  platforms: z.array(z.string().trim().min(1)).max(10).default([]),
});
export type CreateCampaignInput = z.input<typeof CreateCampaignInputSchema>;

/** Input of `campaigns.update`: every field optional. */
export const UpdateCampaignInputSchema = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
    description: z.string().trim().max(2000).nullable(),
    searchType: SearchTypeSchema,
    status: CampaignStatusSchema,
    platforms: z.array(z.string().trim().min(1)).max(10),
    archived: z.boolean(),
  })
  .partial();
export type UpdateCampaignInput = z.input<typeof UpdateCampaignInputSchema>;
