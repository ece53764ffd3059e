/**
 * The sandbox API of `bench/http-polling.ts`, in a process of its own so generating pages does
 * not count against the server under test. Prints `READY <url>` and runs until killed.
 */
import { startSandboxServer } from "@creatorsearch/sandbox";

const sandbox = await startSandboxServer({ port: 0, latencyMs: Number(process.argv[2]), resultsPerQuery: Number(process.argv[3]) });
console.log(`READY ${sandbox.url}`);
const stop = async () => {
  await sandbox.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
