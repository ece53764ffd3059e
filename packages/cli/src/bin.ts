#!/usr/bin/env node
import { processIO } from "./io.js";
import { missingPackageOf } from "./optional.js";

/**
 * Exits once stdout and stderr have handed everything written to the OS. Writes to a pipe are
 * asynchronous: exiting at once cuts a large `--json` answer read by a slow reader (`| jq`) at
 * the pipe's 64 KB.
 */
async function exitAfterOutput(code: number): Promise<never> {
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => (stream.writableLength === 0 ? resolve() : stream.write("", () => resolve())));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

// The program is imported, not linked statically, so that a dependency missing from a broken
// install is one line here rather than a stack trace from the module loader.
import("./program.js")
  .then(({ run }) => run(process.argv.slice(2), processIO()))
  .then(
    (code) => exitAfterOutput(code),
    (error: unknown) => {
      const missing = missingPackageOf(error);
      const message = missing
        ? `${missing} is not installed, but @creatorsearch/cli needs it: reinstall @creatorsearch/cli`
        : error instanceof Error
          ? error.message
          : String(error);
      process.stderr.write(`error: ${message}\n`);
      return exitAfterOutput(missing ? 2 : 1);
    },
  );
