import type { JobCreator } from "../model/creator.js";
import type { SearchJob } from "../model/job.js";

/**
 * A creator in the blueprint UI's shape (`{ creator, video, hashtags }`, `video` being the
 * creator's most viewed post found), plus the normalized fields it lacked.
 */
export interface BlueprintCreator {
  creator: {
    id: string;
    handle: string;
    name: string;
    followers: number | null;
    avatarUrl: string | null;
    profilePicUrl: string | null;
    profileUrl: string | null;
    bio: string | null;
    verified: boolean | null;
    emails: string[];
  };
  video: {
    description: string | null;
    url: string | null;
    statistics: { likes: number | null; comments: number | null; shares: number | null; views: number | null };
  } | null;
  hashtags: string[];
  platform: string;
  keywords: string[];
  engagement: JobCreator["engagement"];
  postsFound: number;
  seq: number;
}

export function toBlueprintCreator(c: JobCreator): BlueprintCreator {
  const top = c.posts.reduce<JobCreator["posts"][number] | undefined>((best, p) => (!best || (p.views ?? -1) > (best.views ?? -1) ? p : best), undefined);
  return {
    creator: {
      id: c.id,
      handle: c.handle,
      name: c.name ?? c.handle,
      followers: c.followers,
      avatarUrl: c.avatarUrl,
      profilePicUrl: c.avatarUrl,
      profileUrl: c.profileUrl,
      bio: c.bio,
      verified: c.verified,
      emails: c.emails,
    },
    video: top
      ? { description: top.caption, url: top.url, statistics: { likes: top.likes, comments: top.comments, shares: top.shares, views: top.views } }
      : null,
    hashtags: c.hashtags,
    platform: c.platform,
    keywords: c.matchedKeywords,
    engagement: c.engagement,
    postsFound: c.posts.length,
    seq: c.seq,
  };
}

/** Progress fields of a job, as `GET /scraping/:platform` and the SSE events report them. */
export function toJobProgress(job: SearchJob) {
  return {
    jobId: job.id,
    status: job.status,
    processedResults: job.processedResults,
    /** Creators found that failed the job's filters (not in results, not counted). */
    filtered: job.filtered,
    /** Creators an `onlyNew` job skipped because the campaign had them (not in results, not counted). */
    skippedKnown: job.skippedKnown,
    targetResults: job.targetResults,
    processedRuns: job.processedRuns,
    progress: job.progress,
    stopReason: job.stopReason,
    error: job.error,
  };
}
export type JobProgress = ReturnType<typeof toJobProgress>;
