import { startSandboxServer } from "@creatorsearch/sandbox";
import { EXIT } from "../errors.js";
import type { CliIO } from "../io.js";
import { SANDBOX_API_KEY } from "../runtime.js";

/** `creatorsearch sandbox`: serves the sandbox API until SIGINT / SIGTERM. */
export async function sandboxCommand(io: CliIO, options: { port: number; host: string; latency: number }): Promise<number> {
  const server = await startSandboxServer({ port: options.port, host: options.host, latencyMs: options.latency });
  io.stdout.write(
    `ScrapeCreators sandbox listening on ${server.url}\n` +
      `  SCRAPECREATORS_BASE_URL=${server.url} SCRAPECREATORS_API_KEY=${SANDBOX_API_KEY}\n` +
      "Press Ctrl+C to stop.\n",
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return EXIT.ok;
}
