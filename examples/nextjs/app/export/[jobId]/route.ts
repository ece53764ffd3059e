import { getRuntime } from "@/lib/server/creatorsearch";
import { percentCsv } from "@/lib/server/csv-percent";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The results page's "Export CSV": the SDK's own export (`GET /api/jobs/:id/export.csv`, with
 * its sign-in and ownership checks, answered by the same handler), with engagement as a percent
 * like the page shows it. The SDK's route keeps its fractions for API users.
 */
export async function GET(request: Request, { params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  const { cs } = await getRuntime();
  const url = new URL(`/api/jobs/${encodeURIComponent(jobId)}/export.csv`, request.url);
  const answer = await cs.handler(new Request(url, { headers: request.headers, signal: request.signal }));
  if (!answer.ok || !answer.body) return answer;
  const headers = new Headers(answer.headers);
  headers.delete("content-length");
  return new Response(percentCsv(answer.body), { status: answer.status, headers });
}
