// Makes packages look uninstalled, as in a registry install without the CLI's optional peers:
// `--import` this file with CS_HIDE_PACKAGES="postgres,bullmq" and every `import` or `require`
// of those packages (or their subpaths) fails the way Node fails for a missing package.
import Module, { register } from "node:module";
import { hiddenPackageOf } from "./hidden-packages.mjs";

// ESM imports: a resolve hook (it runs on the hooks thread, so it reads the list itself).
register("./hide-packages-hooks.mjs", import.meta.url);

// require() (createRequire included) does not pass the ESM hooks on Node 20: patch its resolver.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (hiddenPackageOf(request)) {
    const error = new Error(`Cannot find module '${request}'\nRequire stack:\n- ${parent?.filename ?? "<unknown>"}`);
    error.code = "MODULE_NOT_FOUND";
    throw error;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
