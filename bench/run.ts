/**
 * `pnpm bench`: runs every benchmark and prints its figures, then a one-line summary of each.
 *
 * Each bench runs in a process of its own (this script again, with `BENCH_ONLY_FILE`), so one
 * bench's heap, handles and garbage do not weigh on the next: the HTTP polling bench's pollers,
 * for one, share the two cores with the server they measure.
 */
import { fork } from "node:child_process";

/** Name, module (beside this file) and export of each bench, in the order they run. */
const benches: [name: string, file: string, exported: string][] = [
  ["Client bundle (@creatorsearch/core/client in a browser app, min+gzip)", "client-bundle", "clientBundleBench"],
  ["Pipeline throughput (engine vs bare loop)", "pipeline", "pipelineBench"],
  ["Time to 300 creators (engine vs theoretical minimum)", "time-to-target", "timeToTargetBench"],
  ["Credits per 100 unique creators, TikTok keyword search (engine vs lower bound, blueprint)", "credits", "creditsBench"],
  ["Roster credits: calls per new creator on a second, overlapping search (onlyNew vs plain)", "roster-credits", "rosterCreditsBench"],
  ["Credits per 100 similar creators, Instagram related-profiles walk (engine vs bare BFS, greedy oracle, blueprint)", "similar", "similarBench"],
  ["Queue scaling (BullMQ + Postgres, 1/2/4 worker processes)", "queue-scaling", "queueScalingBench"],
  ["Queue overhead (bullmqQueue vs raw BullMQ, no-op steps)", "queue-overhead", "queueOverheadBench"],
  ["Storage commit throughput (adapter vs raw driver insert, SQLite and Postgres)", "storage-commit", "storageCommitBench"],
  ["Storage results page (100 of 10,000 creators: listCreators vs raw SELECT)", "storage-page", "storagePageBench"],
  ["Roster page (200 of 50,000 entries: cs.campaigns.creators.list vs raw SELECT, SQLite and Postgres)", "roster-read", "rosterReadBench"],
  ["Real pages at rest (3-keyword TikTok search, target 300, ~1.8 MB pages: bytes per creator, peak RSS, paid vs committed pages)", "real-pages-at-rest", "realPagesAtRestBench"],
  ["HTTP polling (200 pollers, 20 jobs, after= vs full results)", "http-polling", "httpPollingBench"],
  ["Install footprint (npm from a registry: core only, SQLite quickstart, CLI) and CLI start-up", "install-footprint", "installFootprintBench"],
  ["QStash delivery path (qstashQueue + stand-in, HTTP webhook, SQLite; vs memoryQueue)", "qstash", "qstashBench"],
];

type Figures = Record<string, string | number>;

/** In a bench's own process: run it and send its figures to the parent. */
async function runHere(file: string, exported: string): Promise<void> {
  let figures: Figures;
  try {
    const bench = (await import(`./${file}.js`))[exported] as () => Promise<Figures>;
    figures = await bench();
  } catch (error) {
    figures = { error: error instanceof Error ? error.message : String(error), result: "FAIL" };
  }
  process.send!(figures, () => process.exit(0)); // exit even if a bench left a handle open
}

/** Runs one bench in a child process (this script, same Node flags) and resolves with its figures. */
function runInChild(file: string, exported: string): Promise<Figures> {
  return new Promise((resolve) => {
    const child = fork(import.meta.filename, [], { env: { ...process.env, BENCH_ONLY_FILE: file, BENCH_ONLY_EXPORT: exported }, execArgv: process.execArgv });
    let figures: Figures | undefined;
    child.on("message", (m) => void (figures = m as Figures));
    child.once("exit", (code, signal) => resolve(figures ?? { error: `the bench process exited with ${signal ?? code} before it reported`, result: "FAIL" }));
  });
}

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

/** Runs the benches (those whose name contains `only`, if given) one after another and prints the summary. */
async function runAll(only: string | undefined): Promise<void> {
  let failed = false;
  const summary: [string, string, string, string][] = [];
  for (const [name, file, exported] of benches) {
    if (only && !name.toLowerCase().includes(only.toLowerCase())) continue;
    // One broken bench still leaves the others' figures and its own line in the summary.
    const figures = await runInChild(file, exported);
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
}

if (process.env.BENCH_ONLY_FILE) {
  await runHere(process.env.BENCH_ONLY_FILE, process.env.BENCH_ONLY_EXPORT!);
} else {
  await runAll(process.argv[2]);
}
