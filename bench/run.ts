/** `pnpm bench`: runs every benchmark and prints its figures. */
import { clientBundleBench } from "./client-bundle.js";
import { creditsBench } from "./credits.js";
import { httpPollingBench } from "./http-polling.js";
import { installFootprintBench } from "./install-footprint.js";
import { pipelineBench } from "./pipeline.js";
import { qstashBench } from "./qstash.js";
import { queueOverheadBench } from "./queue-overhead.js";
import { queueScalingBench } from "./queue-scaling.js";
import { realPagesAtRestBench } from "./real-pages-at-rest.js";
import { rosterCreditsBench } from "./roster-credits.js";
import { rosterReadBench } from "./roster-read.js";
import { storageCommitBench } from "./storage-commit.js";
import { storagePageBench } from "./storage-page.js";
import { similarBench } from "./similar.js";
import { timeToTargetBench } from "./time-to-target.js";

const benches: [string, () => Promise<Record<string, string | number>>][] = [
  ["Client bundle (@creatorsearch/core/client in a browser app, min+gzip)", clientBundleBench],
  ["Pipeline throughput (engine vs bare loop)", pipelineBench],
  ["Time to 300 creators (engine vs theoretical minimum)", timeToTargetBench],
  ["Credits per 100 unique creators, TikTok keyword search (engine vs lower bound, blueprint)", creditsBench],
  ["Roster credits: calls per new creator on a second, overlapping search (onlyNew vs plain)", rosterCreditsBench],
  ["Credits per 100 similar creators, Instagram related-profiles walk (engine vs bare BFS, greedy oracle, blueprint)", similarBench],
  ["Queue scaling (BullMQ + Postgres, 1/2/4 worker processes)", queueScalingBench],
  ["Queue overhead (bullmqQueue vs raw BullMQ, no-op steps)", queueOverheadBench],
  ["Storage commit throughput (adapter vs raw driver insert, SQLite and Postgres)", storageCommitBench],
  ["Storage results page (100 of 10,000 creators: listCreators vs raw SELECT)", storagePageBench],
  ["Roster page (200 of 50,000 entries: cs.campaigns.creators.list vs raw SELECT, SQLite and Postgres)", rosterReadBench],
  ["Real pages at rest (3-keyword TikTok search, target 300, ~1.8 MB pages: bytes per creator, peak RSS, paid vs committed pages)", realPagesAtRestBench],
  ["HTTP polling (200 pollers, 20 jobs, after= vs full results)", httpPollingBench],
  ["Install footprint (npm from a registry: core only, SQLite quickstart, CLI) and CLI start-up", installFootprintBench],
  ["QStash delivery path (qstashQueue + stand-in, HTTP webhook, SQLite; vs memoryQueue)", qstashBench],
];

/**
 * One summary line of a bench: its headline figure (`summary` when it names one, else the figure
 * just before `target`, else those whose name or value states a target), the target, the result.
 */
function summaryOf(name: string, figures: Record<string, string | number>): [string, string, string, string] {
  const TARGET = /\s*\(target ([^)]*)\)/;
  const keys = Object.keys(figures);
  const inName = keys.filter((k) => TARGET.test(k));
  const inValue = keys.filter((k) => TARGET.test(String(figures[k])));
  const beforeTarget = keys.indexOf("target") > 0 ? keys[keys.indexOf("target") - 1] : undefined;
  const headline = "summary" in figures ? ["summary"] : beforeTarget ? [beforeTarget] : inName.length ? inName.slice(0, 1) : inValue;
  const figure = headline
    .map((k) => (k === "summary" ? String(figures.summary) : `${k}: ${String(figures[k]).replace(TARGET, "")}`))
    .join("; ");
  const targets = figures.target !== undefined ? [String(figures.target)] : [...inName, ...inValue].map((k) => TARGET.exec(inName.includes(k) ? k : String(figures[k]))![1]!);
  return [name.replace(/ \(.*$/, ""), figure, [...new Set(targets)].join("; ") || "-", String(figures.result ?? "-")];
}

const only = process.argv[2];
let failed = false;
const summary: [string, string, string, string][] = [];
for (const [name, bench] of benches) {
  if (only && !name.toLowerCase().includes(only.toLowerCase())) continue;
  let figures: Record<string, string | number>;
  try {
    figures = await bench();
  } catch (error) {
    // One broken bench still leaves the others' figures and its own line in the summary.
    figures = { error: error instanceof Error ? error.message : String(error), result: "FAIL" };
  }
  console.log(`\n## ${name}`);
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(width)}  ${v}`);
  if (figures.result === "FAIL") failed = true;
  summary.push(summaryOf(name, figures));
}

console.log("\n## Summary");
const widths = [0, 1, 2].map((i) => Math.max(...summary.map((row) => row[i]!.length), ["bench", "figure", "target"][i]!.length));
for (const row of [["bench", "figure", "target", "result"] as const, ...summary]) {
  console.log(`  ${row[0].padEnd(widths[0]!)}  ${row[1].padEnd(widths[1]!)}  ${row[2].padEnd(widths[2]!)}  ${row[3]}`);
}
process.exitCode = failed ? 1 : 0;
