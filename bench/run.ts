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

const only = process.argv[2];
let failed = false;
for (const [name, bench] of benches) {
  if (only && !name.toLowerCase().includes(only.toLowerCase())) continue;
  const figures = await bench();
  console.log(`\n## ${name}`);
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(width)}  ${v}`);
  if (figures.result === "FAIL") failed = true;
}
process.exitCode = failed ? 1 : 0;
