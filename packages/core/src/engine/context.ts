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
  /** How long a claimed step is held before another worker may take it over. Default 2 minutes. */
  stepLeaseMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxApiCallsPerJob: 500,
  jobTimeoutMs: 60 * 60 * 1000,
  maxDryPages: 5,
  stepLeaseMs: 2 * 60 * 1000,
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
