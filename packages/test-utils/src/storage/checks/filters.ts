import type { Creator } from "@creatorsearch/core";
import { expect } from "vitest";
import type { StorageCheck } from "../context.js";
import { creatorFixture } from "../fixtures.js";

/** A creator found by `keyword` whose one post had `views` views. */
function withViews(id: string, keyword: string, views: number): Creator {
  const c = creatorFixture(id, keyword);
  return { ...c, posts: c.posts.map((p) => ({ ...p, views })) };
}

// The filter of these checks: the mean views of the posts found reach 150.
const accepts = (c: Creator) => c.posts.reduce((sum, p) => sum + (p.views ?? 0), 0) / c.posts.length >= 150;

/** `commitPage` with the job's filters (`accepts`): decided on the merged record, admission final. */
export const filterChecks = {
  "commitPage filters: failing creators are stored but excluded, and counted in filtered": {
    async run({ storage, claimedJob, commit }) {
      await claimedJob();
      const r = await commit(0, [withViews("a", "soup", 100), withViews("b", "soup", 200)], { accepts });
      expect(r!.newCreators).toBe(2);
      expect(r!.job).toMatchObject({ processedResults: 1, filtered: 1, progress: 10, dryPages: 0 });
      expect(await storage.getJob("j1")).toEqual(r!.job);
      expect((await storage.listCreators("j1", { limit: 10 })).map((c) => c.id)).toEqual(["b"]);
    },
  },
  "commitPage filters: a later page admits an excluded creator after the others, and never excludes an admitted one": {
    async run({ storage, claimedJob, claim, commit }) {
      await claimedJob();
      await commit(0, [withViews("a", "soup", 100), withViews("b", "soup", 200)], { accepts });
      const [b] = await storage.listCreators("j1", { limit: 10 });
      await claim(1);
      // a's second post lifts its mean to 200: admitted, after b, so a reader past b sees it.
      let r = await commit(1, [withViews("a", "bread", 300), withViews("c", "soup", 10)], { accepts });
      expect(r!.newCreators).toBe(1);
      expect(r!.job).toMatchObject({ processedResults: 2, filtered: 1 });
      const after = await storage.listCreators("j1", { after: b!.seq, limit: 10 });
      expect(after.map((c) => c.id)).toEqual(["a"]);
      expect(after[0]!.posts).toHaveLength(2);
      // b's mean drops to 100 and c's rises to 55: b stays in, c stays out.
      await claim(2);
      r = await commit(2, [withViews("b", "bread", 0), withViews("c", "bread", 100)], { accepts });
      expect(r!.job).toMatchObject({ processedResults: 2, filtered: 1, dryPages: 1 });
      const listed = await storage.listCreators("j1", { limit: 10 });
      expect(listed.map((c) => c.id)).toEqual(["b", "a"]);
      expect(listed[0]!.seq).toBe(b!.seq);
    },
  },
} satisfies Record<string, StorageCheck>;
