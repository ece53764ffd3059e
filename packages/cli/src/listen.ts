import { UsageError } from "./errors.js";

/**
 * A server's listen failure as the one line that says what to change (`--port`, `--host`), or
 * the error itself when it is not about the address.
 */
export function listenError(error: unknown, port: number, host: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") return new UsageError(`port ${port} on ${host} is already in use; pick another with --port`);
  if (code === "EACCES") return new UsageError(`not allowed to listen on port ${port}; use a port above 1023`);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new UsageError(`cannot listen on --host ${host}: not an address of this machine`);
  }
  return error;
}
