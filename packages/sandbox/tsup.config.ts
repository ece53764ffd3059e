import { defineConfig } from "tsup";

// Keys of `entry` are the package's export subpaths (checked by scripts/check-exports.mjs).
const entry = { index: "src/index.ts", msw: "src/msw.ts" };

// msw is an optional peer: never bundled, only `./msw` imports it.
export default defineConfig({ entry, format: ["esm", "cjs"], dts: true, sourcemap: true, clean: true, target: "node20", external: ["msw"] });
