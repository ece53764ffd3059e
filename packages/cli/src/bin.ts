#!/usr/bin/env node
import { processIO } from "./io.js";
import { run } from "./program.js";

run(process.argv.slice(2), processIO()).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
