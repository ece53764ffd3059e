import { type RequestListener, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { MountedServer } from "./suite.js";

/** Listens with `listener` on an ephemeral port of 127.0.0.1; `close()` also drops open connections. */
export async function listenOnEphemeralPort(listener: RequestListener): Promise<MountedServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
