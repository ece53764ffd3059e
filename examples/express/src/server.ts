/**
 * The API server: `pnpm start` (with DATABASE_URL and REDIS_URL). Job steps run in separate
 * processes: `pnpm worker` (the `creatorsearch worker` command), as many as you like.
 */
import type { AddressInfo } from "node:net";
import { createApp } from "./app.js";
import { ConfigError, readConfig } from "./config.js";
import { openCreatorSearch } from "./creatorsearch.js";

try {
  const config = readConfig();
  const cs = await openCreatorSearch(config);
  const server = createApp(cs).listen(config.port, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    console.log(`creatorsearch API listening on http://127.0.0.1:${port}/api`);
  });
  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    void cs.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
} catch (error) {
  console.error(error instanceof ConfigError || (error instanceof Error && error.name === "ConfigurationError") ? error.message : error);
  process.exit(1);
}
