// Install footprint and CLI start-up figures for the consumer test and `pnpm bench`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** Packages installed in `dir`'s node_modules (npm or pnpm layout) and their size on disk. */
export function footprintOf(dir) {
  const modules = join(dir, "node_modules");
  let packages;
  const npmLock = join(modules, ".package-lock.json");
  if (existsSync(join(modules, ".pnpm"))) {
    packages = readdirSync(join(modules, ".pnpm")).filter((d) => d.includes("@") && d !== "node_modules").length;
  } else if (existsSync(npmLock)) {
    const lock = JSON.parse(readFileSync(npmLock, "utf8"));
    packages = Object.entries(lock.packages ?? {}).filter(([path, entry]) => path.includes("node_modules/") && !entry.link).length;
  } else {
    packages = 0;
  }
  const megabytes = Number(execFileSync("du", ["-sm", modules], { encoding: "utf8" }).split("\t")[0]);
  return { packages, megabytes };
}

/** CPU (user + system) of `node bin --help`: the median of 10 runs, as "N ms CPU (median of 10)". */
export function helpStartup(node, bin, env, runs = 10) {
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync("/usr/bin/time", ["-f", "%U %S", node, bin, "--help"], { env, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`creatorsearch --help exited with ${run.status}: ${run.stderr.trim().split("\n").slice(-3).join(" | ")}`);
    const [user, sys] = run.stderr.trim().split("\n").at(-1).split(" ").map(Number);
    cpu.push((user + sys) * 1000);
  }
  cpu.sort((a, b) => a - b);
  return `${Math.round(cpu[Math.floor(runs / 2)])} ms CPU (median of ${runs})`;
}
