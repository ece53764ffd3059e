import { type SandboxServer, startSandboxServer } from "@creatorsearch/sandbox";
import { SANDBOX_API_KEY } from "../defaults.js";
import { EXIT } from "../errors.js";
import type { CliIO } from "../io.js";
import { listenError } from "../listen.js";

/**
 * `creatorsearch sandbox`: serves the sandbox API until SIGINT / SIGTERM. `pageKb` > 0 pads
 * answers to real sizes (a real TikTok keyword page is ~1800 KB), to measure storage and memory.
 */
export async function sandboxCommand(io: CliIO, options: { port: number; host: string; latency: number; pageKb: number }): Promise<number> {
  let server: SandboxServer;
  try {
    server = await startSandboxServer({ port: options.port, host: options.host, latencyMs: options.latency, pageKb: options.pageKb });
  } catch (error) {
    throw listenError(error, options.port, options.host);
  }
  io.stdout.write(
    `ScrapeCreators sandbox listening on ${server.url}${options.pageKb ? ` (real-size answers: ~${options.pageKb} KB per TikTok keyword page)` : ""}\n` +
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
