/** Exit codes: 0 the job completed, 1 the job failed, 2 bad usage or configuration. */
export const EXIT = { ok: 0, jobFailed: 1, usage: 2 } as const;

/** Bad usage or configuration: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
