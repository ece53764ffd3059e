import { EXIT } from "../errors.js";
import type { CliIO } from "../io.js";
import { openCliStorage } from "../storage.js";

/**
 * `creatorsearch migrate --db <url|file>`: applies the shipped migrations the database lacks
 * and says which; with `--check`, only lists them and exits 1 when any is missing (for deploy
 * pipelines that migrate in a separate step).
 */
export async function migrateCommand(io: CliIO, options: { db: string; check?: boolean }): Promise<number> {
  const { storage, location } = await openCliStorage(io.cwd, options.db, { migrate: false });
  try {
    if (options.check) {
      const pending = await storage.pendingMigrations();
      io.stdout.write(pending.length ? `${location}: missing ${pending.join(", ")}\n` : `${location}: up to date\n`);
      return pending.length ? EXIT.jobFailed : EXIT.ok;
    }
    const applied = await storage.migrate();
    io.stdout.write(applied.length ? `${location}: applied ${applied.join(", ")}\n` : `${location}: already up to date\n`);
    return EXIT.ok;
  } finally {
    await storage.close();
  }
}
