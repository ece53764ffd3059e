#!/usr/bin/env node
// Lints the packages as they are published: are-the-types-wrong (`attw --profile node16`) and
// `publint --strict` on each packed tarball, plus checks of the packed package.json.
//
//   node scripts/consumer/lint-packages.mjs [tarballDir]      (pnpm lint:packages)
//
// With tarballDir, lints every *.tgz in it (packed by `pnpm pack`, which applies publishConfig and
// rewrites workspace: ranges; `npm pack` does neither). Without it, packs every packages/* into a
// temporary directory first (run `pnpm build` before). Also checks, in the workspace, that each
// package's `exports` and `publishConfig.exports` have the same subpaths and files, the published one
// without the workspace-only `dev-source` condition. One line per check; exit code 1 on any problem.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = (name) => join(repoRoot, "node_modules", ".bin", name);
let failures = 0;

function report(ok, label, details = "") {
  if (!ok) failures++;
  console.log(`${ok ? "ok  " : "FAIL"} ${label}`);
  if (!ok && details.trim()) console.log(details.trim().replace(/^/gm, "    "));
}

function run(cmd, args, cwd = repoRoot) {
  const res = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" } });
  return { status: res.status ?? 1, out: `${res.stdout ?? ""}${res.stderr ?? ""}${res.error ? String(res.error) : ""}` };
}

// --- workspace: exports vs publishConfig.exports -----------------------------------------------

/** `exports` with every `dev-source` condition removed. */
function withoutDevSource(value) {
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "dev-source").map(([k, v]) => [k, withoutDevSource(v)]));
}

const packageDirs = readdirSync(join(repoRoot, "packages"))
  .map((d) => join(repoRoot, "packages", d))
  .filter((d) => existsSync(join(d, "package.json")));

for (const dir of packageDirs) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (pkg.private) continue;
  const problems = [];
  const published = pkg.publishConfig?.exports;
  if (!published) problems.push("publishConfig.exports is missing (the published map would carry dev-source)");
  else {
    if (JSON.stringify(withoutDevSource(pkg.exports)) !== JSON.stringify(published)) {
      problems.push("publishConfig.exports differs from exports without dev-source");
    }
    if (JSON.stringify(published).includes("dev-source")) problems.push("publishConfig.exports has a dev-source condition");
  }
  for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
    if (sub !== "./package.json" && typeof target === "object" && !target["dev-source"]) problems.push(`exports["${sub}"] has no dev-source condition`);
  }
  report(problems.length === 0, `${pkg.name}: exports and publishConfig.exports agree`, problems.join("\n"));
}

// --- tarballs ------------------------------------------------------------------------------------

let tarballDir = process.argv[2] ? resolve(process.argv[2]) : null;
let cleanup = null;
if (!tarballDir) {
  tarballDir = mkdtempSync(join(tmpdir(), "cs-lint-packages-"));
  cleanup = tarballDir;
  for (const dir of packageDirs) {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (pkg.private) continue;
    if (!existsSync(join(dir, "dist"))) {
      report(false, `${pkg.name}: pack`, "no dist/: run `pnpm build` first");
      continue;
    }
    const { status, out } = run("pnpm", ["pack", "--pack-destination", tarballDir], dir);
    if (status !== 0) report(false, `${pkg.name}: pack`, out);
  }
}

const tarballs = readdirSync(tarballDir)
  .filter((f) => f.endsWith(".tgz"))
  .sort()
  .map((f) => join(tarballDir, f));
if (tarballs.length === 0) report(false, `tarballs in ${tarballDir}`, "none found");

for (const tarball of tarballs) {
  const name = tarball.slice(tarballDir.length + 1);

  // The packed package.json: what npm will publish.
  const { status: tarStatus, out: manifest } = run("tar", ["-xzOf", tarball, "package/package.json"]);
  if (tarStatus !== 0) {
    report(false, `${name}: read package/package.json`, manifest);
    continue;
  }
  const pkg = JSON.parse(manifest);
  const problems = [];
  if (manifest.includes("dev-source")) problems.push("the packed package.json mentions dev-source (packed without publishConfig.exports? use pnpm pack)");
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      if (String(range).startsWith("workspace:")) problems.push(`${field}.${dep} is still ${range} (use pnpm pack)`);
    }
  }
  report(problems.length === 0, `${name}: packed package.json`, problems.join("\n"));

  const attw = run(bin("attw"), [tarball, "--profile", "node16", "--format", "ascii", "--no-color", "--no-emoji"]);
  report(attw.status === 0, `${name}: attw --profile node16`, attw.out);

  const publint = run(bin("publint"), ["run", tarball, "--strict"]);
  // publint exits 0 when it only has suggestions; those count as problems too.
  const clean = publint.status === 0 && /All good!/.test(publint.out);
  report(clean, `${name}: publint --strict`, publint.out);
}

if (cleanup) rmSync(cleanup, { recursive: true, force: true });
if (failures) {
  console.log(`lint-packages: ${failures} problem(s)`);
  process.exit(1);
}
console.log("lint-packages: all packages clean");
