/**
 * `@creatorsearch/core`: embeddable influencer discovery.
 *
 * - {@link createCreatorSearch}: the central object (campaigns, jobs, results, events).
 * - Contracts: {@link StorageAdapter}, {@link QueueAdapter}, {@link PlatformAdapter}.
 * - Built in: {@link memoryStorage}, {@link memoryQueue}, {@link tiktok}, {@link scrapeCreatorsClient}.
 *
 * @module @creatorsearch/core
 */
export * from "./errors.js";
export * from "./model/index.js";

export { createCreatorSearch } from "./engine/create.js";
export type { CreatorSearch, CreatorSearchOptions, ResultsPage } from "./engine/create.js";
export { DEFAULT_LIMITS } from "./engine/context.js";
export { ShutdownError, DEFAULT_SHUTDOWN_TIMEOUT_MS } from "./engine/shutdown.js";
export type { Limits } from "./engine/context.js";
export type { CreatorSearchEmitter, CreatorSearchEventName, CreatorSearchEvents } from "./engine/events.js";
export type { RecoverResult } from "./engine/step.js";
export { CSV_COLUMNS } from "./engine/export.js";
export { ROSTER_CSV_COLUMNS } from "./engine/roster-export.js";
export { RosterListInputSchema, MAX_ROSTER_BATCH } from "./engine/roster.js";
export type { RosterApi, RosterPage, RosterUpdateResult, RosterListInput } from "./engine/roster.js";
export {
  StartJobInputSchema,
  KeywordsSchema,
  MAX_KEYWORDS,
  MAX_KEYWORD_LENGTH,
  MAX_TARGET_RESULTS,
  DEFAULT_TARGET_RESULTS,
} from "./engine/validation.js";
export type { StartJobInput } from "./engine/validation.js";

export type * from "./storage/types.js";
export { memoryStorage } from "./storage/memory.js";
export type { MemoryStorageOptions } from "./storage/memory.js";
export { progressOf } from "./storage/progress.js";
export {
  DEFAULT_RAW_PAGE_RETENTION,
  resolveRawPageRetention,
  dropsPageOnCommit,
  dropsPagesOnFinish,
  prunePolicy,
} from "./storage/retention.js";
export { parseJsonKeepingText, rawPageJson } from "./storage/raw-page-json.js";

export type * from "./queue/types.js";
export { stepKey } from "./queue/types.js";
export { memoryQueue } from "./queue/memory.js";
export type { MemoryQueue, MemoryQueueOptions } from "./queue/memory.js";

export type * from "./platforms/types.js";
export * from "./platforms/scrapecreators/index.js";
export { tiktok, TIKTOK_KEYWORD_SEARCH_PATH, TIKTOK_PROFILE_PATH } from "./platforms/tiktok/index.js";
export type { TikTokOptions, TikTokEnrichedPage } from "./platforms/tiktok/index.js";
export { normalizeKeywordPage as normalizeTikTokKeywordPage } from "./platforms/tiktok/normalize.js";
export {
  instagram,
  parseInstagramHandle,
  INSTAGRAM_PROFILE_PATH,
  INSTAGRAM_REELS_SEARCH_PATH,
  INSTAGRAM_REELS_MAX_PAGE,
  INSTAGRAM_SIMILAR_CHAIN,
} from "./platforms/instagram/index.js";
export type { InstagramOptions, InstagramEnrichedPage, RelatedWalk } from "./platforms/instagram/index.js";
export { youtube, YOUTUBE_SEARCH_PATH, YOUTUBE_CHANNEL_PATH } from "./platforms/youtube/index.js";
export type { YouTubeOptions, YouTubeEnrichedPage } from "./platforms/youtube/index.js";
export { toFieldIssues } from "./util/zod.js";
export { linkOfUrl, linksOfUrls } from "./platforms/links.js";
export * from "./http/index.js";

export * from "./http/image-proxy/index.js";
