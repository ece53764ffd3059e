import { type Fault, errorChain } from "../shared/faults.js";

/**
 * SQLSTATEs after which the same statement may succeed if sent again: the server restarting or
 * failing over, out of connections, a transaction that lost a race (class 08 is matched whole).
 */
const TRANSIENT_SQLSTATES: Record<string, string> = {
  "57P01": "admin shutdown",
  "57P02": "crash shutdown",
  "57P03": "cannot connect now",
  "57P05": "idle session timeout",
  "53300": "too many connections",
  "40001": "serialization failure",
  "40P01": "deadlock detected",
  "57014": "statement timeout",
  "55P03": "lock not available",
  // A primary demoted to a standby during a failover refuses writes until the pool reconnects.
  "25006": "read-only transaction",
};

/** Socket errors of a server that is down, restarting or unreachable for now. */
const TRANSIENT_SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection broken",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EAI_AGAIN: "name resolution failed",
  // postgres.js: the socket closed under a query, or the connect took too long. Not its
  // CONNECTION_ENDED / CONNECTION_DESTROYED: those mean the pool was ended on purpose.
  CONNECTION_CLOSED: "connection closed",
  CONNECT_TIMEOUT: "connect timed out",
};

/** node-postgres raises these without a code. */
const NODE_POSTGRES_MESSAGES: [RegExp, string][] = [
  [/^Connection terminated( unexpectedly)?$/, "connection terminated"],
  [/^Connection terminated due to connection timeout$/, "connect timed out"],
  [/^timeout exceeded when trying to connect$/, "connect timed out"],
];

/**
 * Classifies an error from a Postgres driver (postgres.js, node-postgres, under drizzle's
 * wrapper or not): a transient fault worth retrying, or `null`. The one place that knows which
 * Postgres errors are weather (DESIGN.md, "Faults are weather").
 */
export function postgresFault(error: unknown): Fault | null {
  for (const e of errorChain(error)) {
    if (!e || typeof e !== "object") continue;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      const sqlstate = TRANSIENT_SQLSTATES[code];
      if (sqlstate) return { label: sqlstate, code };
      if (/^08[0-9A-Z]{3}$/.test(code)) return { label: "connection exception", code };
      const socket = TRANSIENT_SOCKET_ERRORS[code];
      if (socket) return { label: socket, code };
    }
    if (typeof message === "string") {
      for (const [pattern, label] of NODE_POSTGRES_MESSAGES) if (pattern.test(message)) return { label, code: "CONNECTION_CLOSED" };
    }
  }
  return null;
}
