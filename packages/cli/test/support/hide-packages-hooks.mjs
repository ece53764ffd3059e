import { fileURLToPath } from "node:url";
import { hiddenPackageOf } from "./hidden-packages.mjs";

/** Resolve hook: a hidden package fails with Node's own message and code. */
export async function resolve(specifier, context, nextResolve) {
  const name = hiddenPackageOf(specifier);
  if (name) {
    const parent = context.parentURL?.startsWith("file:") ? fileURLToPath(context.parentURL) : context.parentURL;
    const error = new Error(`Cannot find package '${name}' imported from ${parent}`);
    error.code = "ERR_MODULE_NOT_FOUND";
    throw error;
  }
  return nextResolve(specifier, context);
}
