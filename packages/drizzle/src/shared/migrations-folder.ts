import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of the migrations shipped with this package for `dialect`. Found by walking up
 * from this module, so it works from the sources, from `dist/`, and from any bundler layout
 * that keeps the package's `migrations/` folder next to its code.
 */
export function migrationsFolder(dialect: "sqlite" | "pg"): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "migrations", dialect);
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`@creatorsearch/drizzle: cannot find its ${dialect} migrations folder`);
    dir = parent;
  }
}
