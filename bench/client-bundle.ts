/**
 * Client bundle: what `@creatorsearch/core/client` adds to a browser app that imports it,
 * bundled by esbuild for the browser, minified and gzipped; and that no server code (zod, the
 * engine, drivers) comes with it. Target: under 5 KB min+gzip.
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const TARGET_BYTES = 5 * 1024;

export async function clientBundleBench(): Promise<Record<string, string | number>> {
  const result = await build({
    stdin: {
      contents: 'import { createApiClient } from "@creatorsearch/core/client"; export const api = createApiClient({ baseUrl: "/api" });',
      resolveDir: import.meta.dirname,
      loader: "ts",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    conditions: ["dev-source"],
    write: false,
    metafile: true,
  });
  const code = result.outputFiles[0]!.contents;
  const gzipped = gzipSync(code, { level: 9 }).byteLength;
  const inputs = Object.keys(result.metafile.inputs);
  const serverCode = inputs.filter((path) => /node_modules\/(zod|ky|p-queue|drizzle-orm|jose)\/|\/src\/(engine|http|storage|platforms)\//.test(path));
  return {
    bundle: `import { createApiClient } from "@creatorsearch/core/client" (esbuild, browser, minified)`,
    "minified bytes": code.byteLength,
    "min+gzip bytes": gzipped,
    modules: inputs.length,
    "server modules included": serverCode.length ? serverCode.join(", ") : "none",
    target: `<= ${TARGET_BYTES} min+gzip, no server modules`,
    result: gzipped <= TARGET_BYTES && serverCode.length === 0 ? "PASS" : "FAIL",
  };
}
