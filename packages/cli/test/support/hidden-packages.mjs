/** The packages CS_HIDE_PACKAGES names (comma-separated). */
const hidden = new Set((process.env.CS_HIDE_PACKAGES ?? "").split(",").filter(Boolean));

/**
 * The package `specifier` names when it is hidden: `x` of `x/sub`, `@scope/x` of
 * `@scope/x/sub`; undefined for other packages and relative, absolute or `node:` specifiers.
 */
export function hiddenPackageOf(specifier) {
  if (/^[./]|^[a-z]+:/i.test(specifier)) return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  return hidden.has(name) ? name : undefined;
}
