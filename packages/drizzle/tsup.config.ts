import { defineConfig } from "tsup";

// Keys of `entry` are the package's export subpaths (checked by scripts/check-exports.mjs).
export default defineConfig({
  entry: { sqlite: "src/sqlite/index.ts", pg: "src/pg/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // `import.meta.url` in the CJS build: the migrations folder is found relative to the module.
  shims: true,
  external: ["@creatorsearch/core", "drizzle-orm", "better-sqlite3", "postgres"],
});
