import { httpMountSuite, listenOnEphemeralPort } from "@creatorsearch/test-utils/http";
import { toNextHandler } from "../src/index.js";
import { toNodeHandler } from "../src/http/node-entry.js";

// The bare handler on node:http.
httpMountSuite("core handler on node:http", { mount: (cs) => listenOnEphemeralPort(toNodeHandler(cs)) });

// The Next.js App Router handlers, dispatched by method as Next does.
httpMountSuite("toNextHandler", {
  mount: (cs) => {
    const routes: Record<string, (request: Request) => Promise<Response>> = toNextHandler(cs);
    const methodNotExported = async () => new Response(null, { status: 405 });
    return listenOnEphemeralPort(toNodeHandler((request) => (routes[request.method] ?? methodNotExported)(request)));
  },
});
