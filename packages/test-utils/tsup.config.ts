import { defineConfig } from "tsup";

// Keys of `entry` are the package's export subpaths (checked by scripts/check-exports.mjs).
// One entry per suite; each suite lives in its own folder of src/.
const entry = {
  queue: "src/queue/index.ts",
  storage: "src/storage/index.ts",
  http: "src/http/index.ts",
  platform: "src/platform/index.ts",
};

export default defineConfig({
  entry,
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  external: ["@creatorsearch/core", "@creatorsearch/sandbox", "vitest"],
});
