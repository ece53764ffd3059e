#!/usr/bin/env node
// Type-checks the published packages the way a user's project sees them.
//
//   node scripts/consumer/typecheck.mjs <projectDir> [--only=esm-node16,bundler]
//
// <projectDir> already has node_modules with the @creatorsearch packages (installed from the packed
// tarballs, by npm or pnpm), typescript, @types/node and the peers the entry points import, within
// our peer ranges (drizzle-orm, better-sqlite3, @types/better-sqlite3, postgres@3, bullmq, ioredis,
// express, @types/express, msw@2, vitest; pnpm does not pick peers' majors for you, and msw 3 is
// ESM-only, which the CJS checks then report). `--ignore-scripts` is fine for an install used
// only for types. The script writes <projectDir>/typecheck/<mode>/ (package.json with "type", tsconfigs,
// the README quickstart and a file importing every entry point of every installed @creatorsearch
// package) and runs `tsc --noEmit` with `strict: true` for each mode, with and without skipLibCheck:
//
//   esm-node16     module/moduleResolution node16,   "type": "module"
//   esm-nodenext   module/moduleResolution nodenext, "type": "module"
//   cjs-node16     module/moduleResolution node16,   "type": "commonjs" (quickstart body in `async function main()`)
//   cjs-nodenext   module/moduleResolution nodenext, "type": "commonjs"
//   bundler        module esnext, moduleResolution bundler
//
// One line per check; exit code 1 when any check fails. An error fails the check unless it sits in a
// third-party package's own .d.ts (node_modules/<not @creatorsearch>/...), which is reported as a note.
// `--only=...` restricts the modes; TYPECHECK_VERBOSE=1 also prints the ignored third-party errors.
// Exit code 2 on a usage error (no project, typescript or @creatorsearch packages missing).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const projectArg = args.find((a) => !a.startsWith("--"));
if (!projectArg) {
  console.error("usage: node scripts/consumer/typecheck.mjs <projectDir> [--only=esm-node16,...]");
  process.exit(2);
}
const projectDir = resolve(projectArg);
const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length).split(",");

const MODES = {
  "esm-node16": { type: "module", compilerOptions: { module: "node16", moduleResolution: "node16" } },
  "esm-nodenext": { type: "module", compilerOptions: { module: "nodenext", moduleResolution: "nodenext" } },
  "cjs-node16": { type: "commonjs", compilerOptions: { module: "node16", moduleResolution: "node16" } },
  "cjs-nodenext": { type: "commonjs", compilerOptions: { module: "nodenext", moduleResolution: "nodenext" } },
  bundler: { type: "module", compilerOptions: { module: "esnext", moduleResolution: "bundler" } },
};
const modes = Object.keys(MODES).filter((m) => !only || only.includes(m));
for (const m of only ?? []) {
  if (!MODES[m]) {
    console.error(`unknown mode ${m}; known: ${Object.keys(MODES).join(", ")}`);
    process.exit(2);
  }
}

// --- inputs -------------------------------------------------------------------------------------

function readQuickstart() {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const block = readme.match(/<!-- quickstart:start -->([\s\S]*?)<!-- quickstart:end -->/)?.[1];
  const code = block?.match(/```(?:ts|typescript)\n([\s\S]*?)```/)?.[1];
  if (!code) throw new Error("README.md: no ```ts block between <!-- quickstart:start --> and <!-- quickstart:end -->");
  // Split the leading import statements from the body (CJS wraps the body in a function).
  const lines = code.split("\n");
  let i = 0;
  let inImport = false;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (!inImport && !/^import\s/.test(line) && line.trim() !== "" && !line.trim().startsWith("//")) break;
    if (/^import\s/.test(line)) inImport = true;
    if (inImport && /;\s*(\/\/.*)?$/.test(line)) inImport = false;
  }
  return { imports: lines.slice(0, i).join("\n"), body: lines.slice(i).join("\n") };
}

function installedEntryPoints() {
  const scope = join(projectDir, "node_modules", "@creatorsearch");
  if (!existsSync(scope)) throw new Error(`${scope} does not exist: install the packed packages first`);
  const specs = [];
  for (const name of readdirSync(scope).sort()) {
    const pkg = JSON.parse(readFileSync(join(scope, name, "package.json"), "utf8"));
    for (const sub of Object.keys(pkg.exports ?? { ".": null })) {
      if (sub === "./package.json") continue;
      specs.push(sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`);
    }
  }
  return specs;
}

// Assertions on the public types: if `cs.events` (or anything else here) degrades to `any`, the
// `@ts-expect-error` lines become unused and tsc reports TS2578.
const typeAssertions = `
import { createCreatorSearch as __create, memoryQueue as __memoryQueue } from "@creatorsearch/core";
import type { CreatorSearch as __CreatorSearch, SearchJob as __SearchJob } from "@creatorsearch/core";

export function __assertions(cs: __CreatorSearch): void {
  const onProgress = ({ job, newCreators }: { job: __SearchJob; newCreators: number }) => void [job.progress, newCreators];
  cs.events.on("job.progress", onProgress).on("job.completed", ({ job }) => {
    const status: string = job.status;
    void status;
  });
  cs.events.once("step.failed", ({ willRetry, error }) => void [willRetry satisfies boolean, error]);
  cs.events.off("job.progress", onProgress);
  const count: number = cs.events.listenerCount("job.finished");
  void count;
  // @ts-expect-error unknown event name
  cs.events.on("job.nope", () => {});
  // @ts-expect-error the payload is typed, not any
  cs.events.on("job.progress", ({ job }) => job.noSuchField);
  // @ts-expect-error createCreatorSearch checks its options
  __create({ queue: __memoryQueue(), storage: 42 });
}
`;

// --- per-mode project ---------------------------------------------------------------------------

function writeMode(mode) {
  const { type, compilerOptions } = MODES[mode];
  const dir = join(projectDir, "typecheck", mode);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: `typecheck-${mode}`, private: true, type }, null, 2)}\n`);

  const { imports, body } = readQuickstart();
  const quickstart =
    type === "commonjs"
      ? `${imports}\n\nasync function main(): Promise<void> {\n${body.replace(/^(?=.)/gm, "  ")}}\n\nvoid main();\n`
      : `${imports}\n${body}\nexport {};\n`;
  writeFileSync(join(dir, "quickstart.ts"), quickstart);

  const specs = installedEntryPoints();
  const entries = [
    "// Every entry point of every installed @creatorsearch package. With skipLibCheck a declaration",
    "// file's own errors are not reported (an unresolved import there silently becomes `any`), so each",
    "// value export, and the parameters and result of each exported function or class, must not be `any`.",
    ...specs.map((s, i) => `import * as entry${i} from ${JSON.stringify(s)};`),
    "",
    "type IsAny<T> = 0 extends 1 & T ? true : false;",
    "type AnyIn<A extends readonly unknown[]> = true extends { [I in keyof A]: IsAny<A[I]> }[number] ? true : false;",
    "type HasAny<T> = IsAny<T> extends true ? true",
    "  : T extends abstract new (...args: infer A) => infer R ? (IsAny<R> extends true ? true : AnyIn<A>)",
    "  : T extends (...args: infer A) => infer R ? (IsAny<R> extends true ? true : AnyIn<A>)",
    "  : false;",
    "type AnyExports<M> = { [K in keyof M]: HasAny<M[K]> extends true ? K : never }[keyof M];",
    "type NoAnyExports<M> = [AnyExports<M>] extends [never] ? true : { exportsTypedAny: AnyExports<M> };",
    ...specs.map((s, i) => `export const noAny${i}: NoAnyExports<typeof entry${i}> = true; // ${s}`),
    "",
    `export const entries = { ${specs.map((s, i) => `${JSON.stringify(s)}: entry${i}`).join(", ")} };`,
    "",
  ].join("\n");
  writeFileSync(join(dir, "entry-points.ts"), entries);
  writeFileSync(join(dir, "assertions.ts"), typeAssertions);

  const base = {
    strict: true,
    noEmit: true,
    target: "es2022",
    // A Node project: no DOM lib, globals come from @types/node.
    lib: ["es2022"],
    types: ["node"],
    ...compilerOptions,
  };
  const files = ["quickstart.ts", "entry-points.ts", "assertions.ts"];
  for (const skipLibCheck of [true, false]) {
    writeFileSync(
      join(dir, `tsconfig.${skipLibCheck ? "skiplibcheck" : "libcheck"}.json`),
      `${JSON.stringify({ compilerOptions: { ...base, skipLibCheck }, files }, null, 2)}\n`,
    );
  }
  return dir;
}

// --- run ----------------------------------------------------------------------------------------

const tscBin = (() => {
  try {
    return createRequire(join(projectDir, "package.json")).resolve("typescript/bin/tsc");
  } catch {
    console.error(`typescript is not installed in ${projectDir}`);
    process.exit(2);
  }
})();
const tsVersion = JSON.parse(readFileSync(join(dirname(tscBin), "..", "package.json"), "utf8")).version;

/** Is `file` (as tsc prints it) inside a third-party package, not one of ours? */
function isThirdParty(file) {
  const norm = file.split(sep).join("/");
  const at = norm.lastIndexOf("node_modules/");
  if (at < 0) return false;
  return !norm.slice(at + "node_modules/".length).startsWith("@creatorsearch/");
}

function runCheck(dir, skipLibCheck) {
  const tsconfig = join(dir, `tsconfig.${skipLibCheck ? "skiplibcheck" : "libcheck"}.json`);
  const res = spawnSync(process.execPath, [tscBin, "-p", tsconfig, "--pretty", "false"], { cwd: dir, encoding: "utf8" });
  const out = `${res.stdout ?? ""}${res.stderr ?? ""}`;
  // Group continuation lines (indented) with their error line.
  const errors = [];
  for (const line of out.split("\n")) {
    if (line === "") continue;
    if (/^\s/.test(line) && errors.length) errors[errors.length - 1] += `\n${line}`;
    else errors.push(line);
  }
  const ours = [];
  const theirs = [];
  for (const e of errors) {
    const file = e.match(/^(.+?)\(\d+,\d+\): error TS\d+/)?.[1];
    // Paths relative to the project: typecheck/<mode>/quickstart.ts, node_modules/...
    const shown = file ? `${relative(projectDir, resolve(dir, file))}${e.slice(file.length)}` : e;
    (file && isThirdParty(resolve(dir, file)) ? theirs : ours).push(shown);
  }
  if (res.status !== 0 && errors.length === 0) ours.push(`tsc exited with ${res.status} (signal ${res.signal}) and no output`);
  return { ours, theirs };
}

console.log(`typecheck: ${projectDir} (typescript ${tsVersion})`);
{
  // The installed versions of our packages' peers, for the record (an out-of-range peer, e.g. an
  // ESM-only major, can break the CJS checks).
  const scope = join(projectDir, "node_modules", "@creatorsearch");
  if (!existsSync(scope)) {
    console.error(`${scope} does not exist: install the packed packages first`);
    process.exit(2);
  }
  const peers = new Set();
  for (const name of readdirSync(scope)) {
    const pkg = JSON.parse(readFileSync(join(scope, name, "package.json"), "utf8"));
    for (const peer of Object.keys(pkg.peerDependencies ?? {})) if (!peer.startsWith("@creatorsearch/")) peers.add(peer);
  }
  const versions = [...peers].sort().map((peer) => {
    const file = join(projectDir, "node_modules", peer, "package.json");
    return `${peer}@${existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : "(not installed)"}`;
  });
  console.log(`peers: ${versions.join(" ")}`);
}
let failed = 0;
for (const mode of modes) {
  const dir = writeMode(mode);
  for (const skipLibCheck of [true, false]) {
    const label = `${mode.padEnd(13)} skipLibCheck=${String(skipLibCheck).padEnd(5)}`;
    const { ours, theirs } = runCheck(dir, skipLibCheck);
    const note = theirs.length ? ` (${theirs.length} error(s) inside third-party .d.ts ignored)` : "";
    if (ours.length) {
      failed++;
      console.log(`FAIL ${label} ${ours.length} error(s)${note}`);
      for (const e of ours) console.log(`    ${e.replace(/\n/g, "\n    ")}`);
    } else {
      console.log(`ok   ${label}${note}`);
    }
    if (theirs.length && process.env.TYPECHECK_VERBOSE) for (const e of theirs) console.log(`    (ignored) ${e.replace(/\n/g, "\n    ")}`);
  }
}
if (failed) {
  console.log(`typecheck: ${failed} check(s) failed`);
  process.exit(1);
}
console.log("typecheck: all checks passed");
