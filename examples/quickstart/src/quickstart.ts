import { createCreatorSearch, memoryQueue, tiktok } from "@creatorsearch/core";
import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";

const cs = createCreatorSearch({
  storage: sqliteStorage({ file: "creatorsearch.db" }),
  queue: memoryQueue({ concurrency: 4 }),
  platforms: [tiktok()], // reads SCRAPECREATORS_API_KEY (and SCRAPECREATORS_BASE_URL)
});

const userId = "user_123"; // from your auth
const campaign = await cs.campaigns.create(userId, { name: "Fall soups" });
const job = await cs.jobs.start(userId, {
  campaignId: campaign.id,
  platform: "tiktok",
  keywords: ["soup recipes", "fall cooking"],
  targetResults: 100,
});

cs.events.on("job.progress", ({ job }) => console.log(`${job.progress}%`));
const done = await cs.jobs.wait(userId, job.id);
const { items } = await cs.results.list(userId, { jobId: job.id, limit: 10 });
console.log(done.status, done.processedResults, items.map((c) => `@${c.handle}`).join(" "));
await cs.close();
