import type { ApiJobProgress } from "./api";

const count = new Intl.NumberFormat("en");

/** What the bar and its line say: a bar full only when the target was reached, overshoot told apart. */
export function progressView(job: Pick<ApiJobProgress, "status" | "processedResults" | "targetResults" | "stopReason">): { percent: number; text: string } {
  const { processedResults: found, targetResults: target } = job;
  const percent = Math.min(100, Math.floor((found / Math.max(1, target)) * 100));
  if (found >= target) {
    // The last page can bring a few more than asked: they are kept, but the target is what was reached.
    const extra = found - target;
    return { percent: 100, text: `${count.format(target)} of ${count.format(target)} creators${extra > 0 ? ` (+${count.format(extra)} more from the last page)` : ""}` };
  }
  if (job.status === "completed") {
    // Ended short of the target: the bar shows how far it got, not a full bar.
    const why = job.stopReason === "budget_spent" ? "the API-call budget ran out" : "the search ran out of new results";
    return { percent, text: `${count.format(found)} of ${count.format(target)} creators: ${why}` };
  }
  return { percent, text: `${count.format(found)} of ${count.format(target)} creators` };
}
