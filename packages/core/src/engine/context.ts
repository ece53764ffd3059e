import type { PlatformAdapter } from "../platforms/types.js";
import type { QueueAdapter } from "../queue/types.js";
import type { StorageAdapter } from "../storage/types.js";
import type { CreatorSearchEmitter } from "./events.js";

/** Limits that bound every job. */
export interface Limits {
  /** Upstream calls one job may make (its credit budget). Default 500. */
  maxApiCallsPerJob: number;
  /** A job still running after this long ends with status `timeout`. Default 1 hour. */
  jobTimeoutMs: number;
  /** Committed pages in a row with no new creator before the job stops. Default 5. */
  maxDryPages: number;
  /**
   * How long a claimed step is held before another worker may take it over. The running step
   * renews it every third of this, so it bounds how soon a dead worker's step is taken over,
   * not how long a step may run. Default 15 s.
   */
  stepLeaseMs: number;
  /**
   * How long a step retries its storage calls while the storage is unavailable (a restart, a
   * failover) before it gives up and the queue delivers it again. Default 30 s.
   */
  storageRetryMs: number;
  /**
   * Bytes of fetched pages (as JSON) a process keeps in memory while the storage is unavailable,
   * so they are stored when it is back instead of bought again. A page beyond it is dropped.
   * Default 32 MiB.
   */
  maxHeldPageBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxApiCallsPerJob: 500,
  jobTimeoutMs: 60 * 60 * 1000,
  maxDryPages: 5,
  stepLeaseMs: 15 * 1000,
  storageRetryMs: 30 * 1000,
  maxHeldPageBytes: 32 * 1024 * 1024,
};

/** What the engine's parts share. */
export interface EngineContext {
  storage: StorageAdapter;
  queue: QueueAdapter;
  platforms: ReadonlyMap<string, PlatformAdapter>;
  limits: Limits;
  events: CreatorSearchEmitter;
  workerId: string;
  now: () => Date;
  /** Aborted when `close()` ran out of patience: steps in flight release their lease and hand back. */
  shutdown: AbortSignal;
}
