import { defineConfig } from "tsup";

// Keys of `entry` are the package's export subpaths (checked by scripts/check-exports.mjs).
const entry = { index: "src/index.ts", testing: "src/testing/index.ts" };
const external = ["@creatorsearch/core", "@upstash/qstash", "msw", "zod"];

export default defineConfig([
  { entry, format: ["esm"], dts: true, sourcemap: true, clean: true, target: "node20", external },
  // p-queue and jose 6 ship ESM only; the CJS build bundles them so `require()` works on every Node 20.
  { entry, format: ["cjs"], dts: true, sourcemap: true, target: "node20", external, noExternal: ["p-queue", "p-timeout", "jose"] },
]);
