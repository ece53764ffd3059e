import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeHandler } from "@creatorsearch/core/node";
import { type QStashStandIn, type QStashStandInOptions, createQStashStandIn } from "./stand-in.js";

/** Options of {@link startQStashStandInServer}: the stand-in's (but `baseUrl`), plus where to listen. */
export interface QStashStandInServerOptions extends Omit<QStashStandInOptions, "baseUrl"> {
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
}

/** A listening QStash stand-in. */
export interface QStashStandInServer {
  /** Base URL without trailing slash: use as `QSTASH_URL` (or `baseUrl`), with `standIn.token`. */
  url: string;
  /** The stand-in behind it: credentials, recorded messages and deliveries. */
  standIn: QStashStandIn;
  /** Stops deliveries and listening. */
  close(): Promise<void>;
}

/**
 * Serves the stand-in's publish API over `node:http`, for code in other processes (an app under
 * test, a CLI): point `QSTASH_URL`, `QSTASH_TOKEN` and the signing keys at `credentials`.
 *
 * @example
 * ```typescript
 * const qstash = await startQStashStandInServer();
 * spawn("node", ["server.js"], { env: { ...process.env, QSTASH_URL: qstash.url, QSTASH_TOKEN: qstash.standIn.token } });
 * ```
 */
export async function startQStashStandInServer(options: QStashStandInServerOptions = {}): Promise<QStashStandInServer> {
  const { port = 0, host = "127.0.0.1", ...standInOptions } = options;
  let standIn: QStashStandIn | undefined;
  const server = createServer(toNodeHandler((request) => standIn!.fetch(request)));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  standIn = createQStashStandIn({ ...standInOptions, baseUrl: url });
  return {
    url,
    standIn,
    async close() {
      await standIn!.close();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
