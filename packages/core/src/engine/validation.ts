import { z } from "zod";
import { type CreatorFilters, CreatorFiltersObject, FILTER_KEYS, checkFilterRanges, hasFilters } from "../model/filters.js";

export const MAX_KEYWORDS = 20;
export const MAX_KEYWORD_LENGTH = 100;
export const MAX_TARGET_RESULTS = 10_000;
export const DEFAULT_TARGET_RESULTS = 100;

/** Keywords: trimmed, non-empty, at most 100 characters, 1 to 20, de-duplicated (case-insensitively). */
export const KeywordsSchema = z
  .array(
    z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(MAX_KEYWORD_LENGTH, `must be at most ${MAX_KEYWORD_LENGTH} characters`),
    { error: "must be an array of strings" },
  )
  .min(1, "at least one keyword is required")
  .max(MAX_KEYWORDS, `at most ${MAX_KEYWORDS} keywords`)
  .transform((keywords) => {
    const seen = new Set<string>();
    return keywords.filter((k) => {
      const key = k.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });

/** The fields of `jobs.start`'s input, before the checks that span several of them. */
export const StartJobFields = z.object({
    campaignId: z.string({ error: "is required" }).trim().min(1, "is required"),
    platform: z.string({ error: "is required" }).trim().toLowerCase().min(1, "is required"),
    mode: z.enum(["keyword", "similar"]).optional(),
    keywords: KeywordsSchema.optional(),
    targetHandle: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").optional(),
    targetResults: z
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(MAX_TARGET_RESULTS, `must be at most ${MAX_TARGET_RESULTS}`)
      .default(DEFAULT_TARGET_RESULTS),
    /** Lower this job's API-call budget below the configured `maxApiCallsPerJob`. */
    maxApiCalls: z.number().int().min(1, "must be at least 1").optional(),
    /**
     * Fill in profile details a search page lacks (TikTok bio and verification, YouTube
     * subscribers) with one budgeted call per creator. Default: the platform adapter's option.
     */
    enrich: z.boolean({ error: "must be true or false" }).optional(),
    /**
     * Only creators the campaign does not have yet: creators already on its roster are not
     * results and do not count toward `targetResults`, and keywords an earlier job of the
     * campaign paged through resume where it stopped (same platform, mode and filters).
     */
    onlyNew: z.boolean({ error: "must be true or false" }).optional(),
    // Creator filters (`CreatorFilters`), flat on the input like the other job options.
    ...CreatorFiltersObject.shape,
  });

/** Input of `jobs.start`. */
export const StartJobInputSchema = StartJobFields.superRefine(checkFilterRanges)
  .transform((input, ctx) => {
    const mode = input.mode ?? (input.targetHandle && !input.keywords ? "similar" : "keyword");
    if (mode === "keyword" && !input.keywords) {
      ctx.addIssue({ code: "custom", path: ["keywords"], message: "at least one keyword is required" });
    }
    if (mode === "similar" && !input.targetHandle) {
      ctx.addIssue({ code: "custom", path: ["targetHandle"], message: "is required for a similar search" });
    }
    const filters = pickFilters(input);
    return {
      ...input,
      mode,
      keywords: mode === "keyword" ? (input.keywords ?? []) : [],
      filters: hasFilters(filters) ? filters : null,
    } as const;
  });

function pickFilters(input: CreatorFilters): CreatorFilters {
  const filters: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) if (input[key] !== undefined) filters[key] = input[key];
  return filters as CreatorFilters;
}
export type StartJobInput = z.input<typeof StartJobInputSchema>;

/** Paging of `campaigns.list` and `jobs.list`. */
export const ListInputSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).default(0),
});

/** Paging of `results.list`: an opaque cursor from a previous page. */
export const ResultsListInputSchema = z.object({
  jobId: z.string().min(1, "is required"),
  after: z
    .string()
    .regex(/^\d{1,15}$/, "must be a cursor returned by a previous page")
    .nullish(),
  limit: z.number().int().min(1).max(1000).default(100),
});
