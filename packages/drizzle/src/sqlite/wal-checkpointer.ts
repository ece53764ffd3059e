import { Worker } from "node:worker_threads";

/*
 * WAL checkpoints off the thread that writes. SQLite checkpoints in the COMMIT that takes the WAL
 * past `wal_autocheckpoint` (1,000 pages): that commit copies the pages into the database file and
 * syncs it, on the thread that also runs the steps and, in one process, answers HTTP. A step
 * writes its raw page and its creators (about 160 WAL pages on compact pages), so a checkpoint
 * fell on every sixth step and cost the writer 1.6 ms a step on average (savePage 1.25 -> 0.6 ms,
 * commitPage 3.6 -> 2.5 ms). A worker thread with a connection of its own runs passive
 * checkpoints instead: they copy what no reader still needs and never block the writer.
 */

/** The worker: opens the file with the same better-sqlite3 and checkpoints it every `intervalMs`. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.timeoutMs });
const timer = setInterval(() => db.pragma("wal_checkpoint(PASSIVE)"), workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage("ready");
`;

/** Options of {@link startWalCheckpointer}. */
export interface WalCheckpointerOptions {
  /** The database file (not `:memory:`). */
  file: string;
  /** Absolute path of better-sqlite3's entry, as the storage loaded it. */
  driver: string;
  /** How often the worker checkpoints (default 100 ms). */
  intervalMs?: number;
  /** The worker's busy timeout (its connection's; a passive checkpoint never waits on it). */
  timeoutMs: number;
  /** The worker has opened the file: the writer may stop checkpointing. */
  onReady(): void;
  /** The worker failed or ended without being asked: the writer checkpoints again. */
  onFailure(error: Error): void;
}

/** A running checkpointer. */
export interface WalCheckpointer {
  /** Stops the worker, closing its connection first; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts the worker thread. It does not keep the process alive. */
export function startWalCheckpointer(options: WalCheckpointerOptions): WalCheckpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file: options.file, driver: options.driver, intervalMs: options.intervalMs ?? 100, timeoutMs: options.timeoutMs },
  });
  worker.unref();
  let stopping = false;
  let failed = false;
  const fail = (error: Error) => {
    if (stopping || failed) return;
    failed = true;
    options.onFailure(error);
  };
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.once("message", () => options.onReady());
  worker.once("error", fail);
  worker.once("exit", (code) => fail(new Error(`the WAL checkpointer thread exited with code ${code}`)));
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      worker.postMessage("stop");
      // A worker that does not end on its own within a second is ended.
      const timer = setTimeout(() => void worker.terminate(), 1000);
      timer.unref();
      await exited;
      clearTimeout(timer);
    },
  };
}
