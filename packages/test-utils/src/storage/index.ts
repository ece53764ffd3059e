/**
 * `@creatorsearch/test-utils/storage`: the conformance suite every storage adapter passes,
 * as vitest tests keyed by readable names, plus the fixtures it uses.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "@creatorsearch/core";
 * import { describeStorageConformance } from "@creatorsearch/test-utils/storage";
 *
 * describeStorageConformance("memoryStorage", {
 *   open: () => ({ storage: memoryStorage() }),
 *   disable: { "jobs: createJob writes the job and its chains to the store": "memory has no store outside the adapter" },
 * });
 * ```
 *
 * @module @creatorsearch/test-utils/storage
 */
export { describeStorageConformance, storageChecks } from "./suite.js";
export type { StorageCheckName } from "./suite.js";
export type { StorageCheck, StorageCheckContext } from "./context.js";
export type { OpenedStorage, RawStorage, RawWhere, StorageHarness, StorageOpenOptions, StorageTable } from "./harness.js";
export { sqlRawStorage } from "./raw-sql.js";
export type { SqlRawOptions } from "./raw-sql.js";
export { BIG_JOB_CREATORS } from "./checks/reads.js";
export { T0, at, campaignFixture, chainFixture, creatorFixture, creatorsFixture, jobFixture } from "./fixtures.js";
