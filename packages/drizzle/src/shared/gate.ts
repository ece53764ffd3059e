import type { StorageAdapter } from "@creatorsearch/core";

/**
 * Makes every method but `close` wait for `ready()` first: opening (connecting, checking the
 * schema version) is async or may fail, while the storage factories return at once.
 */
export function gate(adapter: StorageAdapter, ready: () => Promise<void>): StorageAdapter {
  const gated: Record<string, unknown> = { ...adapter };
  for (const [name, method] of Object.entries(adapter)) {
    if (typeof method !== "function" || name === "close") continue;
    gated[name] = async (...args: unknown[]) => {
      await ready();
      return (method as (...a: unknown[]) => unknown)(...args);
    };
  }
  return gated as unknown as StorageAdapter;
}
