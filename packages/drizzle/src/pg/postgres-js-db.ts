import { entityKind } from "drizzle-orm";
import { PgDatabase, PgDialect } from "drizzle-orm/pg-core";
import { type PostgresJsQueryResultHKT, PostgresJsSession } from "drizzle-orm/postgres-js/session";
import type { PostgresJsSql } from "./load-postgres-js.js";
import type { PostgresDatabase } from "./storage.js";

/*
 * A drizzle database on a postgres.js pool, built the way `drizzle()` of `drizzle-orm/postgres-js`
 * builds it (drizzle-orm 0.44 and 0.45 alike). That module imports postgres.js at its top, so
 * importing it would make `@creatorsearch/drizzle/pg` fail to load where postgres.js is not
 * installed; requiring it lazily would load drizzle's CJS build next to its ESM one. The session
 * module imports no driver. test/postgres-js-db.test.ts compares the result with `drizzle()`'s.
 */

/** The class `drizzle-orm/postgres-js` gives its databases (same entity kind, so `is()` agrees). */
class PostgresJsDatabase extends PgDatabase<PostgresJsQueryResultHKT> {
  static override readonly [entityKind]: string = "PostgresJsDatabase";
}

/** The types whose text drizzle's postgres-js driver passes through untouched: drizzle's columns map them. */
const PASS_THROUGH = ["1184", "1082", "1083", "1114", "1182", "1185", "1115", "1231"];
/** json and jsonb: drizzle's columns serialize them. */
const SERIALIZED_BY_DRIZZLE = ["114", "3802"];

/** `drizzle(client)` of `drizzle-orm/postgres-js`, for postgres.js 3 or 4, without importing postgres.js. */
export function drizzlePostgresJs(client: PostgresJsSql): PostgresDatabase {
  const same = (value: unknown) => value;
  for (const type of PASS_THROUGH) {
    client.options.parsers[type] = same;
    client.options.serializers[type] = same;
  }
  for (const type of SERIALIZED_BY_DRIZZLE) client.options.serializers[type] = same;
  const dialect = new PgDialect();
  const session = new PostgresJsSession(client as never, dialect, undefined, {});
  const db = new PostgresJsDatabase(dialect, session, undefined);
  return Object.assign(db, { $client: client }) as PostgresDatabase;
}
