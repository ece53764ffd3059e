// `pnpm release`: builds, checks and publishes every public package with `changeset publish`
// (run `pnpm changeset version` first and commit the versions and CHANGELOGs it writes).
//   --dry-run      everything but the upload: `pnpm publish --dry-run` per package
//   --skip-build   reuse the current dist/ (CI builds once)
//   --no-git-tag   do not create git tags (the consumer test publishes to a private registry)
// The registry is npm's configuration, so a scoped `@creatorsearch:registry` is honoured.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!["--dry-run", "--skip-build", "--no-git-tag"].includes(arg)) {
    console.error(`release: unknown option ${arg} (expected --dry-run, --skip-build, --no-git-tag)`);
    process.exit(2);
  }
}

const step = (title, command, commandArgs) => {
  console.log(`\n> ${title}: ${command} ${commandArgs.join(" ")}`);
  execFileSync(command, commandArgs, { cwd: root, stdio: "inherit" });
};

if (!args.has("--skip-build")) step("build", "pnpm", ["build"]);
step("exports match the builds", "pnpm", ["check-exports"]);
step("publint and attw on every tarball", "pnpm", ["lint:packages"]);
if (args.has("--dry-run")) {
  step("publish (dry run)", "pnpm", ["-r", "--filter", "./packages/*", "publish", "--dry-run", "--no-git-checks"]);
} else {
  step("publish", "pnpm", ["exec", "changeset", "publish", ...(args.has("--no-git-tag") ? ["--no-git-tag"] : [])]);
}
