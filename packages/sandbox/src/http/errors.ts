/** An error answer a route raises: its status, `message`, and optional machine `error` code. */
export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "SandboxHttpError";
  }
}

/** 400 for a missing parameter, in the shape the real API uses (`missing_parameter`). */
export const missingParameter = (message: string) => new SandboxHttpError(400, message, "missing_parameter");

/** 400 for a parameter with a value the API refuses. */
export const invalidParameter = (message: string) => new SandboxHttpError(400, message, "invalid_parameter");
