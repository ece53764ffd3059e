// Install footprint and CLI start-up, as `pnpm bench install` reports them: every package
// published to a private registry (built dist/, as `pnpm build` left it), then three clean npm
// projects: core alone, the README's SQLite quickstart line, and the CLI. Prints one JSON object.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { footprintOf, helpStartup } from "./footprint.mjs";
import { readmeInstallLines } from "./readme.mjs";
import { startRegistry } from "./registry.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const work = mkdtempSync(join(tmpdir(), "cs-footprint-"));
const registry = await startRegistry(join(work, "registry"));
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_|NODE_OPTIONS$)/i.test(k))),
  npm_config_userconfig: registry.npmrc,
  "npm_config_@creatorsearch:registry": registry.url,
  npm_config_cache: join(work, "npm-cache"),
};
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, env, stdio: ["ignore", "ignore", "inherit"] });

try {
  const tarballs = join(work, "tarballs");
  for (const dir of readdirSync(join(root, "packages"))) run("pnpm", ["pack", "--pack-destination", tarballs], join(root, "packages", dir));
  for (const tarball of readdirSync(tarballs)) run("npm", ["publish", join(tarballs, tarball)], work);

  const figures = {};
  const project = (name, line) => {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", private: true, type: "module" }));
    run("sh", ["-c", line], dir);
    const { packages, megabytes } = footprintOf(dir);
    figures[`${name} install (${line})`] = `${packages} packages, ${megabytes} MB`;
    return dir;
  };
  project("core-only", "npm install @creatorsearch/core");
  project("sqlite-quickstart", readmeInstallLines(root).npm);
  const cli = project("cli", "npm install @creatorsearch/cli");
  figures["creatorsearch --help start-up"] = helpStartup(process.execPath, join(cli, "node_modules/@creatorsearch/cli/dist/bin.js"), env);
  // One line for `pnpm bench`'s summary table (these figures have no target: they are watched).
  const size = (name) => Object.entries(figures).find(([k]) => k.startsWith(`${name} install`))?.[1];
  figures.summary = `core ${size("core-only")}; SQLite quickstart ${size("sqlite-quickstart")}; CLI ${size("cli")}; --help ${figures["creatorsearch --help start-up"]}`;
  console.log(JSON.stringify(figures));
} finally {
  await registry.close();
  rmSync(work, { recursive: true, force: true });
}
