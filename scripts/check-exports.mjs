// Fails when a package's `exports` map and its tsup entries disagree, or a built file is missing.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const problems = [];
for (const dir of readdirSync(join(root, "packages"))) {
  const pkgDir = join(root, "packages", dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const { default: configs } = await import(pathToFileURL(join(pkgDir, "tsup.config.ts")).href).catch(() => ({ default: null }));
  if (!configs) {
    problems.push(`${pkg.name}: cannot read tsup.config.ts`);
    continue;
  }
  const entries = new Set((Array.isArray(configs) ? configs : [configs]).flatMap((c) => Object.keys(c.entry ?? {})));
  const subpaths = Object.keys(pkg.exports ?? {}).filter((k) => k !== "./package.json");
  const expected = new Set(subpaths.map((k) => (k === "." ? "index" : k.slice(2))));
  for (const name of expected) if (!entries.has(name)) problems.push(`${pkg.name}: export "${name}" has no tsup entry`);
  for (const name of entries) if (!expected.has(name) && name !== "bin") problems.push(`${pkg.name}: tsup entry "${name}" is not exported`);
  for (const sub of subpaths) {
    const target = pkg.exports[sub];
    for (const cond of ["import", "require"]) {
      for (const kind of ["types", "default"]) {
        const file = target?.[cond]?.[kind];
        if (!file) problems.push(`${pkg.name}: ${sub} lacks ${cond}.${kind}`);
        else if (!existsSync(join(pkgDir, file))) problems.push(`${pkg.name}: ${sub} ${cond}.${kind} -> ${file} was not built`);
      }
    }
  }
  for (const file of Object.values(pkg.bin ?? {})) if (!existsSync(join(pkgDir, file))) problems.push(`${pkg.name}: bin ${file} was not built`);
  if (!existsSync(join(pkgDir, "README.md"))) problems.push(`${pkg.name}: no README.md`);
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("exports match tsup entries and every built file exists");
