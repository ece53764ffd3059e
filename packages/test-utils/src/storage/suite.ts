import type { StorageAdapter } from "@creatorsearch/core";
import { afterEach, beforeEach, describe, it } from "vitest";
import { crudChecks } from "./checks/campaigns.js";
import { claimChecks } from "./checks/claims.js";
import { commitChecks } from "./checks/commits.js";
import { filterChecks } from "./checks/filters.js";
import { pageChecks } from "./checks/pages.js";
import { readChecks } from "./checks/reads.js";
import { retentionChecks } from "./checks/retention.js";
import { rosterChecks } from "./checks/roster.js";
import { type StorageCheck, type StorageCheckContext, checkContext } from "./context.js";
import type { OpenedStorage, StorageHarness, StorageOpenOptions } from "./harness.js";

/** Every check of the storage conformance suite, keyed by its readable name. */
export const storageChecks = {
  ...crudChecks,
  ...claimChecks,
  ...pageChecks,
  ...commitChecks,
  ...filterChecks,
  ...readChecks,
  ...retentionChecks,
  ...rosterChecks,
} satisfies Record<string, StorageCheck>;

/** The name of one check of the suite: what `disable` takes. */
export type StorageCheckName = keyof typeof storageChecks;

/**
 * Registers the storage conformance suite with vitest: every check of {@link storageChecks},
 * each on a fresh backend from `harness.open()`. Checks that need the raw side channel must be
 * disabled by name when the harness has none; a disabled check shows as skipped with its reason.
 *
 * @example
 * ```ts
 * import { describeStorageConformance } from "@creatorsearch/test-utils/storage";
 *
 * describeStorageConformance("sqliteStorage", {
 *   open: () => {
 *     const file = freshFile();
 *     return { storage: sqliteStorage({ file }), connect: () => sqliteStorage({ file }) };
 *   },
 *   disable: { "commitPage: counters are recounted from stored rows, not added up": "no raw access in this harness" },
 * });
 * ```
 */
export function describeStorageConformance(name: string, harness: StorageHarness<StorageCheckName>): void {
  const disabled: Partial<Record<string, string>> = harness.disable ?? {};
  const unknown = Object.keys(disabled).filter((n) => !(n in storageChecks));
  if (unknown.length) {
    throw new Error(`describeStorageConformance(${JSON.stringify(name)}): no check named ${unknown.map((n) => JSON.stringify(n)).join(", ")}`);
  }

  describe(`storage conformance: ${name}`, () => {
    let opened: OpenedStorage | undefined;
    let ctx: StorageCheckContext | undefined;
    const connections: StorageAdapter[] = [];
    const reopened: OpenedStorage[] = [];
    const reopen = async (options: StorageOpenOptions) => {
      const backend = await harness.open(options);
      reopened.push(backend);
      return backend;
    };

    beforeEach(async () => {
      opened = await harness.open();
      ctx = await checkContext(opened, connections, reopen);
    });
    afterEach(async () => {
      await Promise.all(connections.splice(0).map((c) => c.close()));
      // Newest first: a harness may reuse one schema or file per test file.
      for (const backend of [...reopened.splice(0).reverse(), ...(opened ? [opened] : [])]) {
        await backend.storage.close();
        await backend.dispose?.();
      }
      opened = undefined;
      ctx = undefined;
    });

    for (const [checkName, check] of Object.entries(storageChecks) as [string, StorageCheck][]) {
      const reason = disabled[checkName];
      if (reason !== undefined) {
        it.skip(`${checkName} [disabled: ${reason}]`, () => {});
        continue;
      }
      it(checkName, () => runCheck(checkName, check, opened!, ctx!), check.timeoutMs);
    }
  });
}

/** Runs one check on an opened backend; a raw check without a raw side channel says what to do. */
export async function runCheck(name: string, check: StorageCheck, opened: OpenedStorage, ctx: StorageCheckContext): Promise<void> {
  if (check.needsRaw && !opened.raw) {
    throw new Error(`"${name}" reads rows through the raw side channel: give the harness \`raw\`, or disable the check with a reason`);
  }
  await check.run(ctx);
}
