import { createRequire } from "node:module";
import { entityKind } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { describe, expect, it } from "vitest";
import { drizzlePostgresJs } from "../src/pg/postgres-js-db.js";
import type { PostgresJsSql } from "../src/pg/load-postgres-js.js";

/*
 * drizzlePostgresJs() rebuilds what `drizzle()` of drizzle-orm/postgres-js builds, without
 * importing postgres.js: this compares the two on fresh pools of both postgres.js majors, so a
 * drizzle-orm upgrade that changes its driver shows up here. postgres() opens no connection.
 */
const require = createRequire(import.meta.url);
const majors = {
  "postgres.js 3": require("postgres") as (url: string) => PostgresJsSql,
  "postgres.js 4": (require("postgres-v4") as { default: (url: string) => PostgresJsSql }).default,
};

/** The parser and serializer type ids whose functions `build` replaced on a fresh pool. */
function replacedTypes(open: (url: string) => PostgresJsSql, build: (client: PostgresJsSql) => unknown) {
  const client = open("postgres://nobody@127.0.0.1:1/none");
  const snapshot = (table: Record<string, unknown>) => new Map(Object.keys(table).map((k) => [k, table[k]]));
  const parsers = snapshot(client.options.parsers);
  const serializers = snapshot(client.options.serializers);
  const db = build(client) as Record<string, unknown>;
  const changed = (before: Map<string, unknown>, table: Record<string, unknown>) =>
    Object.keys(table)
      .filter((k) => before.get(k) !== table[k])
      .sort();
  return { db, client, parsers: changed(parsers, client.options.parsers), serializers: changed(serializers, client.options.serializers) };
}

describe("drizzlePostgresJs", () => {
  for (const [name, open] of Object.entries(majors)) {
    it(`builds what drizzle-orm/postgres-js builds, on ${name}`, () => {
      const theirs = replacedTypes(open, (client) => drizzle(client as never));
      const ours = replacedTypes(open, drizzlePostgresJs);
      expect(ours.parsers).toEqual(theirs.parsers);
      expect(ours.serializers).toEqual(theirs.serializers);
      expect(ours.parsers.length).toBeGreaterThan(0);

      const kind = (value: object) => (value.constructor as unknown as Record<symbol, string>)[entityKind];
      expect(kind(ours.db)).toBe(kind(theirs.db));
      expect(Object.keys(ours.db).sort()).toEqual(Object.keys(theirs.db).sort());
      const internals = (db: Record<string, unknown>) => db._ as { session: object & { client: unknown; dialect: object }; schema: unknown };
      expect(internals(ours.db).session.constructor).toBe(internals(theirs.db).session.constructor);
      expect(internals(ours.db).session.dialect.constructor).toBe(internals(theirs.db).session.dialect.constructor);
      expect(internals(ours.db).session.client).toBe(ours.client);
      expect(internals(ours.db).schema).toBe(internals(theirs.db).schema);
      expect(ours.db.$client).toBe(ours.client);
    });
  }
});
