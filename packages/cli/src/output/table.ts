import type { JobCreator, RosterEntry, SearchJob } from "@creatorsearch/core";
import Table from "cli-table3";

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const pct = (v: number | null) => (v === null ? "-" : `${(v * 100).toFixed(1)}%`);

/** Whether tables may use colour: only on a terminal, and never with `NO_COLOR` set. */
export interface TableOptions {
  color?: boolean;
}
// cli-table3 colours its head and borders by default, even when the output is a file or a pipe.
const style = ({ color = false }: TableOptions) => (color ? {} : { style: { head: [], border: [] } });

/** A table of creators for a terminal. */
export function creatorsTable(creators: readonly JobCreator[], options: TableOptions = {}): string {
  const table = new Table({ head: ["#", "handle", "name", "followers", "ER (followers)", "posts", "email"], ...style(options) });
  creators.forEach((c, i) =>
    table.push([
      i + 1,
      `@${c.handle}`,
      (c.name ?? "").slice(0, 28),
      c.followers === null ? "-" : compact.format(c.followers),
      pct(c.engagement.byFollowers),
      c.posts.length,
      c.emails[0] ?? "",
    ]),
  );
  return table.toString();
}

/** A table of jobs. */
export function jobsTable(jobs: readonly SearchJob[], options: TableOptions = {}): string {
  const table = new Table({ head: ["id", "platform", "keywords", "status", "creators", "API calls", "created"], ...style(options) });
  for (const j of jobs) {
    table.push([j.id, j.platform, (j.keywords.join(", ") || j.targetHandle || "").slice(0, 40), j.status, `${j.processedResults}/${j.targetResults}`, j.apiCalls, j.createdAt.toISOString()]);
  }
  return table.toString();
}

/** A one-paragraph summary of a job. */
export function jobSummary(job: SearchJob): string {
  const lines = [
    `job ${job.id}`,
    `  status       ${job.status}${job.stopReason ? ` (${job.stopReason.replaceAll("_", " ")})` : ""}`,
    `  platform     ${job.platform}`,
    `  ${job.mode === "similar" ? "handle      " : "keywords    "} ${job.mode === "similar" ? job.targetHandle : job.keywords.join(", ")}`,
    `  creators     ${job.processedResults}/${job.targetResults} (${job.progress}%)`,
    `  pages        ${job.processedRuns}`,
    `  API calls    ${job.apiCalls}`,
  ];
  if (job.filtered) lines.push(`  filtered     ${job.filtered} (found, but failed the filters)`);
  if (job.skippedKnown) lines.push(`  known        ${job.skippedKnown} (already in the campaign, skipped)`);
  if (job.error) lines.push(`  error        ${job.error}`);
  return lines.join("\n");
}

/** A table of a campaign's roster. */
export function rosterTable(entries: readonly RosterEntry[], options: TableOptions = {}): string {
  const table = new Table({ head: ["id", "handle", "followers", "status", "tags", "also", "found by", "notes"], ...style(options) });
  for (const e of entries) {
    table.push([
      e.id,
      `@${e.handle}`,
      e.followers === null ? "-" : compact.format(e.followers),
      e.status,
      e.tags.join(", ").slice(0, 30),
      e.linked.map((l) => `${l.platform} @${l.handle}`).join(", ").slice(0, 40),
      `${e.foundBy.length} job${e.foundBy.length === 1 ? "" : "s"}`,
      (e.notes ?? "").replace(/\s+/g, " ").slice(0, 30),
    ]);
  }
  return table.toString();
}
