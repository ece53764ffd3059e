/**
 * Runs the quickstart against a local sandbox API (no key, no credits): starts
 * `@creatorsearch/sandbox` on a free port, points the ScrapeCreators client at it, then runs
 * `quickstart.ts` unchanged.
 */
import { startSandboxServer } from "@creatorsearch/sandbox";

const sandbox = await startSandboxServer({ port: 0 });
process.env.SCRAPECREATORS_BASE_URL = sandbox.url;
process.env.SCRAPECREATORS_API_KEY ??= "sandbox";
try {
  await import("./quickstart.js");
} finally {
  await sandbox.close();
}
