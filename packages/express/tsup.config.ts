import { defineConfig } from "tsup";

// Keys of `entry` are the package's export subpaths (checked by scripts/check-exports.mjs).
const entry = { index: "src/index.ts" };

export default defineConfig({
  entry,
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  external: ["@creatorsearch/core", "express"],
});
