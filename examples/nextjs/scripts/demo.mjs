// `pnpm demo`: starts this app against the in-process sandbox API (no keys, no credits) and prints
// the URL as soon as the server answers. It builds only what changed since the last build: a
// workspace package whose sources are newer than its `dist`, and the Next.js app when its sources
// or a package's `dist` are newer than `.next/BUILD_ID`. `--rebuild` builds everything. Ctrl+C stops it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const started = performance.now();
const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}
const rebuild = process.argv.includes("--rebuild");
// The demo is the sandbox: a key left in the shell must not spend real credits.
const env = { ...process.env, SCRAPECREATORS_API_KEY: "", DATABASE_URL: "", REDIS_URL: "", QSTASH_TOKEN: "", SQLITE_FILE: process.env.SQLITE_FILE ?? ".data/demo.db", NEXT_TELEMETRY_DISABLED: "1" };
const distDir = process.env.NEXT_DIST_DIR || ".next";
const next = join(app, "node_modules", ".bin", "next");
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/** Newest modification time (ms) of the files under `path`, skipping `skip` names; 0 when none. */
function newest(path, skip = new Set()) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    max = Math.max(max, newest(join(path, entry.name), skip));
  }
  return max;
}

/** Oldest modification time of the files under `path`; 0 when there are none (never built). */
function oldest(path) {
  if (!existsSync(path)) return 0;
  let min = Infinity;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else min = Math.min(min, statSync(full).mtimeMs);
    }
  };
  walk(path);
  return min === Infinity ? 0 : min;
}

/** The workspace packages this app uses, directly or through each other (found through node_modules links). */
function workspacePackages(dir, found = new Map()) {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const deps = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies };
  for (const [name, range] of Object.entries(deps)) {
    if (typeof range !== "string" || !range.startsWith("workspace:") || found.has(name)) continue;
    const link = join(dir, "node_modules", ...name.split("/"));
    if (!existsSync(link)) continue;
    const pkgDir = realpathSync(link);
    found.set(name, pkgDir);
    workspacePackages(pkgDir, found);
  }
  return found;
}

// What a package's build reads: everything but its output, dependencies, tests and docs.
const NOT_INPUTS = new Set(["dist", "node_modules", "test", "CHANGELOG.md", "README.md", "LICENSE", ".turbo"]);
const packages = workspacePackages(app);
const stale = [...packages].filter(([, dir]) => rebuild || newest(dir, NOT_INPUTS) > oldest(join(dir, "dist"))).map(([name]) => name);
if (stale.length) {
  console.log(`Building ${stale.join(", ")} (sources newer than dist)…`);
  // pnpm orders the builds by their dependencies.
  const build = spawnSync("pnpm", [...stale.flatMap((name) => ["--filter", name]), "build"], { cwd: app, env, stdio: ["ignore", "inherit", "inherit"] });
  if (build.status !== 0) {
    console.error("Package build failed (see above)");
    process.exit(1);
  }
}

// The app's build reads its own sources and the packages' dist (Next resolves them to dist).
const APP_INPUTS = ["app", "components", "lib", "public", "next.config.ts", "tsconfig.json", "package.json"];
const appInputs = Math.max(...APP_INPUTS.map((p) => newest(join(app, p))), ...[...packages.values()].map((dir) => newest(join(dir, "dist"))));
const buildId = join(app, distDir, "BUILD_ID");
const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
if (rebuild || appInputs > built) {
  console.log(built ? "The app changed since its last build: next build (a minute or two)…" : "First start: next build (a minute or two)…");
  const build = spawnSync(next, ["build"], { cwd: app, env, stdio: ["ignore", "inherit", "inherit"] });
  if (build.status !== 0) {
    console.error("next build failed (see above)");
    process.exit(1);
  }
} else {
  console.log(`Packages and ${distDir} are up to date (pnpm demo -- --rebuild to build anyway)`);
}

const server = spawn(next, ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: app, env, stdio: ["ignore", "inherit", "inherit"] });
const stop = () => server.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.on("exit", (code) => process.exit(code ?? 0));

const url = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 60_000;
let ready = false;
while (!ready && Date.now() < deadline) {
  // 401 is the API's answer to an anonymous call: the server and the SDK are up.
  const status = await fetch(`${url}/api/campaigns`).then((r) => r.status, () => 0);
  ready = status === 401;
  if (!ready) await new Promise((r) => setTimeout(r, 150));
}
if (ready) console.log(`\ncreatorsearch demo ready in ${seconds()}: ${url}  (sandbox API, SQLite ${env.SQLITE_FILE}; Ctrl+C to stop)\n`);
else {
  console.error(`The app did not answer on ${url} within a minute`);
  stop();
}
