import { defineConfig } from "tsup";

// The workspace packages and the drivers stay imports (never bundled): Postgres and BullMQ are
// optional peers that `await import()` loads only for their flags, so bundling them would put
// them back on the start-up path. tsup leaves dependencies and peers out already; the list
// keeps it so should one of them become a devDependency only.
const external = [/^@creatorsearch\//, "better-sqlite3", "drizzle-orm", "postgres", "bullmq", "ioredis"];

// ESM: the package's export (index) and the bin in one build, so they share chunks, and each
// command's `import()` stays a chunk of its own that `--help` never reads. CJS: the export only.
const common = { sourcemap: true, target: "node20", external } as const;
export default defineConfig([
  { ...common, entry: { index: "src/index.ts", bin: "src/bin.ts" }, format: ["esm"], dts: { entry: { index: "src/index.ts" } }, clean: true },
  // p-retry ships ESM only: bundled into the CJS build so `require()` works on every Node 20.
  { ...common, entry: { index: "src/index.ts" }, format: ["cjs"], dts: { entry: { index: "src/index.ts" } }, noExternal: ["p-retry", "is-network-error"] },
]);
