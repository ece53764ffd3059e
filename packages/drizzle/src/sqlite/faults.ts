import { type Fault, errorChain } from "../shared/faults.js";

/**
 * Classifies an error from better-sqlite3: another connection holds the file's lock past the
 * busy timeout (`SQLITE_BUSY*`) or a table lock (`SQLITE_LOCKED*`), which a later attempt may
 * not meet; else `null`. The one place that knows which SQLite errors are weather.
 */
export function sqliteFault(error: unknown): Fault | null {
  for (const e of errorChain(error)) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code !== "string") continue;
    if (code.startsWith("SQLITE_BUSY")) return { label: "database is locked", code };
    if (code.startsWith("SQLITE_LOCKED")) return { label: "table is locked", code };
  }
  return null;
}
