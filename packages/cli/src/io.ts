/** Where the CLI writes; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIO = (): CliIO => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

/** Colour only on a terminal, and never when `NO_COLOR` is set (https://no-color.org). */
export const useColor = (io: CliIO): boolean => Boolean(io.stdout.isTTY) && !io.env.NO_COLOR;
