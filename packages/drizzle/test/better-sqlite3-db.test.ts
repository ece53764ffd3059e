import Database from "better-sqlite3";
import { entityKind } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { describe, expect, it } from "vitest";
import { drizzleBetterSqlite3 } from "../src/sqlite/better-sqlite3-db.js";
import { createSqliteTables, sqliteSchema } from "../src/sqlite/schema.js";

/*
 * drizzleBetterSqlite3() rebuilds what `drizzle(client, { schema })` of drizzle-orm/better-sqlite3
 * builds, without importing better-sqlite3: this compares the two, so a drizzle-orm upgrade that
 * changes its driver shows up here.
 */
describe("drizzleBetterSqlite3", () => {
  it("builds what drizzle-orm/better-sqlite3 builds", () => {
    const client = new Database(":memory:");
    try {
      for (const schema of [sqliteSchema, createSqliteTables("cs_")] as Record<string, unknown>[]) {
        const theirs = drizzle(client, { schema }) as unknown as Record<string, unknown>;
        const ours = drizzleBetterSqlite3(client, schema) as unknown as Record<string, unknown>;
        const kind = (value: object) => (value.constructor as unknown as Record<symbol, string>)[entityKind];
        expect(kind(ours)).toBe(kind(theirs));
        expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
        type Internals = { session: { constructor: unknown; dialect: object; client: unknown }; dialect: object; _: { tableNamesMap: unknown; fullSchema: unknown } };
        const of = (db: Record<string, unknown>) => db as unknown as Internals;
        expect(of(ours).session.constructor).toBe(of(theirs).session.constructor);
        expect(of(ours).session.dialect.constructor).toBe(of(theirs).session.dialect.constructor);
        expect(of(ours).dialect.constructor).toBe(of(theirs).dialect.constructor);
        expect(of(ours).session.client).toBe(client);
        expect(of(ours)._.fullSchema).toBe(schema);
        expect(of(ours)._.tableNamesMap).toEqual(of(theirs)._.tableNamesMap);
        expect(Object.keys(ours.query as object).sort()).toEqual(Object.keys(theirs.query as object).sort());
        expect(ours.$client).toBe(client);
      }
    } finally {
      client.close();
    }
  });
});
