// A `changeset version` dry run: applies the pending changesets to a scratch copy of the
// workspace manifests and fails if any package would leave 0.x or move further than the
// changesets declare. (A `workspace:^` peer on core used to make changesets bump every adapter
// to 1.0.0 on a core minor.) Usage: node scripts/release/version-dry-run.mjs
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const scratch = mkdtempSync(join(tmpdir(), "cs-version-"));
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

try {
  // Changesets reads only manifests, the workspace file and .changeset/: copy just those.
  for (const file of ["package.json", "pnpm-workspace.yaml"]) cpSync(join(root, file), join(scratch, file));
  cpSync(join(root, ".changeset"), join(scratch, ".changeset"), { recursive: true });
  const before = new Map();
  for (const group of ["packages", "examples"]) {
    for (const dir of readdirSync(join(root, group))) {
      const manifest = join(root, group, dir, "package.json");
      if (!existsSync(manifest)) continue;
      cpSync(manifest, join(scratch, group, dir, "package.json"));
      const pkg = readJson(manifest);
      if (!pkg.private) before.set(pkg.name, { version: pkg.version, dir: join(group, dir) });
    }
  }
  const declared = declaredBumps(join(root, ".changeset"), [...before.keys()]);
  execFileSync(join(root, "node_modules/.bin/changeset"), ["version"], { cwd: scratch, stdio: "pipe" });

  const problems = [];
  for (const [name, { version, dir }] of before) {
    const next = readJson(join(scratch, dir, "package.json")).version;
    const expected = bump(version, declared.get(name));
    const line = `${name}: ${version} -> ${next}`;
    if (!next.startsWith("0.")) problems.push(`${line} leaves 0.x`);
    else if (expected && next !== expected) problems.push(`${line}, but the changesets declare ${expected}`);
    console.log(line);
  }
  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log(`changeset version dry run: ${before.size} packages stay 0.x`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** The largest bump each package's changesets declare; the `fixed` group shares the largest. */
function declaredBumps(dir, names) {
  const rank = { patch: 1, minor: 2, major: 3 };
  const bumps = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "README.md")) {
    const front = readFileSync(join(dir, file), "utf8").split("---")[1] ?? "";
    for (const [, name, type] of front.matchAll(/"([^"]+)":\s*(patch|minor|major)/g)) {
      if ((rank[type] ?? 0) > (rank[bumps.get(name)] ?? 0)) bumps.set(name, type);
    }
  }
  const config = readJson(join(dir, "config.json"));
  for (const group of config.fixed ?? []) {
    const matches = (name) => group.some((pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(name));
    const top = [...bumps].filter(([name]) => matches(name)).reduce((a, [, t]) => ((rank[t] ?? 0) > (rank[a] ?? 0) ? t : a), undefined);
    if (top) for (const name of names) if (matches(name)) bumps.set(name, top);
  }
  return bumps;
}

/** Semver bump of a 0.x version as changesets does it (0.x: major stays major; we expect none). */
function bump(version, type) {
  if (!type) return undefined;
  const [major, minor, patch] = version.split(".").map(Number);
  if (type === "major") return `${major + 1}.0.0`;
  if (type === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}
