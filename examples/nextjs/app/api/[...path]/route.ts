import { toNextHandler } from "@creatorsearch/core";
import { getRuntime } from "@/lib/server/creatorsearch";

// Every /api/* request goes to the SDK's handler: campaigns, roster (PATCH), scraping, SSE, CSV, image proxy, QStash.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const { GET, POST, PATCH, HEAD, OPTIONS } = toNextHandler(async (request) => {
  try {
    const { cs } = await getRuntime();
    return await cs.handler(request);
  } catch (error) {
    // A configuration error at start-up: say which setting, once per request, as JSON like every other error.
    console.error("[creatorsearch] cannot start:", error);
    const message = error instanceof Error ? error.message : String(error);
    return Response.json({ error: `Server not configured: ${message}`, issues: [] }, { status: 500 });
  }
});
