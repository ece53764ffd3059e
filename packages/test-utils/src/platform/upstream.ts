import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { UpstreamResponder } from "./harness.js";

/** How the fake upstream answers right now. */
export type UpstreamMode =
  | { kind: "recorded" }
  /** Recorded answers with their JSON body rewritten. */
  | { kind: "transform"; transform: (body: unknown) => unknown }
  /** Every request answers `status` with `body` and `headers`. */
  | { kind: "status"; status: number; body: unknown; headers?: Record<string, string> };

/** A real local HTTP server standing in for ScrapeCreators, switchable between answers. */
export interface FakeUpstream {
  baseUrl: string;
  apiKey: string;
  mode: UpstreamMode;
  /** Request paths (with query) received since the last `reset()`. */
  readonly requests: string[];
  reset(): void;
  close(): Promise<void>;
}

/** Starts the fake upstream on an ephemeral port of 127.0.0.1, answering from `respond`. */
export async function startFakeUpstream(respond: UpstreamResponder): Promise<FakeUpstream> {
  const apiKey = "conformance-key";
  const requests: string[] = [];
  const upstream = { mode: { kind: "recorded" } as UpstreamMode };
  const server: Server = createServer(async (req, res) => {
    try {
      requests.push(req.url ?? "/");
      const mode = upstream.mode;
      if (mode.kind === "status") {
        res.writeHead(mode.status, { "content-type": "application/json", ...mode.headers });
        res.end(JSON.stringify(mode.body));
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const answer = await respond(new Request(`http://upstream.test${req.url}`, { method: req.method, headers }));
      let text = await answer.text();
      if (mode.kind === "transform" && answer.ok) text = JSON.stringify(mode.transform(JSON.parse(text)));
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      res.end(text);
    } catch (error) {
      res.writeHead(599, { "content-type": "text/plain" });
      res.end(`fake upstream failed: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    get mode() {
      return upstream.mode;
    },
    set mode(mode: UpstreamMode) {
      upstream.mode = mode;
    },
    requests,
    reset() {
      requests.length = 0;
      upstream.mode = { kind: "recorded" };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
