import { describeStorageConformance } from "@creatorsearch/test-utils/storage";
import { describeWithPostgres, freshPostgresSchema } from "./support/postgres.js";

// A real server, a fresh schema for this file (dropped afterwards), empty tables per test.
const describePg = await describeWithPostgres("pg-conformance");

describePg("postgresStorage on a server", () => {
  const pg = freshPostgresSchema();
  describeStorageConformance("postgresStorage (url, own schema)", { open: (options) => pg.open(options) });
});

describePg("postgresStorage with a table prefix", () => {
  const pg = freshPostgresSchema({ tablePrefix: "cs_" });
  describeStorageConformance("postgresStorage (url, own schema, tablePrefix cs_)", { open: (options) => pg.open(options) });
});
