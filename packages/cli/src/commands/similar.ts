import type { CliIO } from "../io.js";
import { type SearchOptions, runJobCommand } from "./search.js";

/**
 * `creatorsearch similar <handle>`: finds creators similar to `handle` (`natgeo`, `@natgeo` or
 * a profile URL) by walking the platform's related profiles, and runs the job to its end.
 */
export function similarCommand(io: CliIO, handle: string, options: SearchOptions): Promise<number> {
  return runJobCommand(io, { targetHandle: handle }, options);
}
