#!/usr/bin/env node
import { processIO } from "./io.js";
import { missingPackageOf } from "./optional.js";

// The program is imported, not linked statically, so that a dependency missing from a broken
// install is one line here rather than a stack trace from the module loader.
import("./program.js")
  .then(({ run }) => run(process.argv.slice(2), processIO()))
  .then(
    (code) => process.exit(code),
    (error: unknown) => {
      const missing = missingPackageOf(error);
      const message = missing
        ? `${missing} is not installed, but @creatorsearch/cli needs it: reinstall @creatorsearch/cli`
        : error instanceof Error
          ? error.message
          : String(error);
      process.stderr.write(`error: ${message}\n`);
      process.exit(missing ? 2 : 1);
    },
  );
