// Writes docs/openapi.json: the OpenAPI 3.1 document of the HTTP API, from the built core (run
// after `pnpm build`). `redocly lint` checks it next; docs/openapi.test.ts keeps it current.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { apiDocument } from "../../packages/core/dist/index.js";

const target = fileURLToPath(new URL("../../docs/openapi.json", import.meta.url));
writeFileSync(target, `${JSON.stringify(apiDocument("/api"), null, 2)}\n`);
console.log(`wrote ${target}`);
