import type { Redis } from "ioredis";
import { redactRedisUrl } from "./redact.js";

/** A client of the queue lost Redis, or has it back. Carries no password. */
export type RedisConnectionChange =
  | {
      status: "lost";
      /** Which client: the producer (enqueues) or the worker (runs steps). */
      role: "producer" | "worker";
      /** `host:port/db`. */
      address: string;
      /** The first error of the outage, with any URL password redacted. */
      reason: string;
    }
  | {
      status: "restored";
      role: "producer" | "worker";
      address: string;
      /** How long the client was without Redis. */
      downMs: number;
    };

/** Watches one client; see {@link monitorConnection}. */
export interface ConnectionMonitor {
  readonly role: "producer" | "worker";
  /** Calls `listener` each time the client is back after an outage; returns the unsubscribe. */
  onRestored(listener: () => void): () => void;
  /** Removes the monitor's listeners from the client. */
  stop(): void;
}

/**
 * Turns an ioredis client's events into one `lost` and one `restored` change per outage. The
 * client's `error` events are handled here (an unhandled `error` event would crash the process),
 * and the many errors of one outage (one per reconnect attempt) are reported once.
 */
export function monitorConnection(
  client: Redis,
  options: { role: "producer" | "worker"; address: string; onChange: (change: RedisConnectionChange) => void },
): ConnectionMonitor {
  const { role, address, onChange } = options;
  const restoredListeners = new Set<() => void>();
  let downSince: number | undefined;
  const report = (change: RedisConnectionChange) => {
    try {
      onChange(change);
    } catch {
      // A failing logger must not turn an outage into a crash.
    }
  };
  const lost = (reason: string) => {
    if (downSince !== undefined) return;
    downSince = Date.now();
    report({ status: "lost", role, address, reason: redactRedisUrl(reason) });
  };
  const onError = (error: unknown) => lost(error instanceof Error ? error.message || error.name : String(error));
  // A server that shuts down cleanly closes the socket without an error: ioredis then reconnects.
  const onReconnecting = () => lost("connection closed");
  const onReady = () => {
    if (downSince === undefined) return;
    const downMs = Date.now() - downSince;
    downSince = undefined;
    report({ status: "restored", role, address, downMs });
    for (const listener of restoredListeners) listener();
  };
  client.on("error", onError);
  client.on("reconnecting", onReconnecting);
  client.on("ready", onReady);
  return {
    role,
    onRestored(listener) {
      restoredListeners.add(listener);
      return () => restoredListeners.delete(listener);
    },
    stop() {
      client.off("error", onError);
      client.off("reconnecting", onReconnecting);
      client.off("ready", onReady);
      restoredListeners.clear();
      // Errors still due while the client closes are expected; keep them handled.
      client.on("error", () => undefined);
    },
  };
}

/** The default `onConnectionChange`: one `console.warn` line per change. */
export function warnConnectionChange(change: RedisConnectionChange): void {
  if (change.status === "lost") console.warn(`creatorsearch: Redis ${change.role} connection to ${change.address} lost (${change.reason}); reconnecting`);
  else console.warn(`creatorsearch: Redis ${change.role} connection to ${change.address} restored after ${(change.downMs / 1000).toFixed(1)} s`);
}
