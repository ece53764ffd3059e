import { bullmqQueue } from "@creatorsearch/bullmq";
import { type CreatorSearch, createCreatorSearch, devAuth, imageProxy, instagram, scrapeCreatorsClient, supabaseAuth, tiktok, youtube } from "@creatorsearch/core";
import { postgresStorage } from "@creatorsearch/drizzle/pg";
import type { ServerConfig } from "./config.js";

/**
 * The API process's SDK instance: Postgres storage, BullMQ as a producer only (`worker: false`),
 * so job steps run in the separate `creatorsearch worker` processes, never in the web server.
 */
export async function openCreatorSearch(config: ServerConfig): Promise<CreatorSearch> {
  const queue = bullmqQueue({ url: config.redisUrl, queueName: config.queueName });
  await queue.ready(5000); // a wrong REDIS_URL fails here, in one line
  // One ScrapeCreators client (SCRAPECREATORS_API_KEY / SCRAPECREATORS_BASE_URL) shared by the platforms.
  const client = scrapeCreatorsClient();
  return createCreatorSearch({
    storage: postgresStorage({ url: config.databaseUrl, ...(config.schema ? { schema: config.schema } : {}) }),
    queue,
    platforms: [tiktok({ client }), instagram({ client }), youtube({ client })],
    worker: false,
    http: {
      authenticate: config.supabaseJwtSecret ? supabaseAuth({ jwtSecret: config.supabaseJwtSecret }) : devAuth(),
      imageProxy: (request) => imageProxy(request),
    },
  });
}
