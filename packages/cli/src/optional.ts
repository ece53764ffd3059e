import { realpathSync } from "node:fs";
import { UsageError } from "./errors.js";

/**
 * The npm package a "module not found" error names, or undefined for any other error. ESM says
 * `Cannot find package 'x' imported from ...`, CommonJS `Cannot find module 'x'`; a deep path
 * (`x/sub`) counts as package `x` (`@scope/x` for scoped names). The error's `cause` chain is
 * searched too: a driver loaded by a library arrives wrapped in that library's own error.
 */
export function missingPackageOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") continue;
    const specifier = /Cannot find (?:package|module) '([^']+)'/.exec(String(message))?.[1];
    // A relative or absolute path is a file missing inside an installed package, not a package.
    if (!specifier || /^[./]|^[a-z]:[\\/]|^file:/i.test(specifier)) continue;
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  }
  return undefined;
}

/**
 * How to install `packages` where this CLI runs: next to a global install (`npm install -g`),
 * into the npx run (`npx -p`), or into the project (`npm install`). A global CLI does not see
 * a project's node_modules, so "npm install x" alone would not help there.
 */
export function installCommand(packages: readonly string[], script = process.argv[1]): string {
  let path = script ?? "";
  try {
    path = realpathSync(path);
  } catch {
    // Keep the path as given: the hint is a guess either way.
  }
  path = path.replaceAll("\\", "/");
  if (path.includes("/_npx/")) return `npx ${packages.map((p) => `-p ${p}`).join(" ")} -p @creatorsearch/cli creatorsearch ...`;
  if (/\/lib\/node_modules\/@creatorsearch\/cli\/|\/npm\/node_modules\/@creatorsearch\/cli\//.test(path)) return `npm install -g ${packages.join(" ")}`;
  return `npm install ${packages.join(" ")}`;
}

/**
 * The one-line {@link UsageError} for `error` when it says one of `packages` is not installed:
 * `"<what> needs <name>: <install command>"`; undefined for any other error.
 *
 * @param what - the flag that asked for the packages, e.g. `--redis`
 * @param name - what to call them in the message, e.g. `BullMQ`
 * @param packages - the packages, as `npm install` takes them
 */
export function missingOptional(error: unknown, what: string, name: string, packages: readonly string[]): UsageError | undefined {
  const missing = missingPackageOf(error);
  return missing && packages.includes(missing) ? new UsageError(`${what} needs ${name}: ${installCommand(packages)}`) : undefined;
}

/**
 * Imports a module that needs packages the CLI does not install by itself (they are optional
 * peer dependencies), so the default path never loads them. When one of `packages` is not
 * installed this throws the one-line {@link UsageError} of {@link missingOptional}.
 *
 * @param load - `() => import("...")`, a literal so the bundler keeps it a separate import
 */
export async function importOptional<T>(load: () => Promise<T>, what: string, name: string, packages: readonly string[]): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw missingOptional(error, what, name, packages) ?? error;
  }
}
