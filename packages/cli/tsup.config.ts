import { defineConfig } from "tsup";

// Keys of `entry` are the package's exports ("." = index) plus the bin.
export default defineConfig([
  { entry: { index: "src/index.ts" }, format: ["esm", "cjs"], dts: true, sourcemap: true, clean: true, target: "node20" },
  { entry: { bin: "src/bin.ts" }, format: ["esm"], sourcemap: true, target: "node20" },
]);
