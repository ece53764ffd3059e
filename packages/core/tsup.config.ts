import { defineConfig } from "tsup";

// Keys of `entry` are the package's export subpaths (checked by scripts/check-exports.mjs).
const entry = { index: "src/index.ts", node: "src/http/node-entry.ts", client: "src/client/index.ts" };

export default defineConfig([
  { entry, format: ["esm"], dts: true, sourcemap: true, clean: true, target: "node20" },
  // ky, p-queue, p-retry and jose ship ESM only; the CJS build bundles them so `require()` works on every Node 20.
  { entry, format: ["cjs"], dts: true, sourcemap: true, target: "node20", noExternal: ["ky", "p-queue", "p-timeout", "p-retry", "is-network-error", "jose"] },
]);
