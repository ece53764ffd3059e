/**
 * `@creatorsearch/cli`: the `creatorsearch` command, also callable in-process with {@link run}.
 *
 * @module @creatorsearch/cli
 */
export { run } from "./program.js";
export { EXIT, UsageError } from "./errors.js";
export type { CliIO } from "./io.js";
