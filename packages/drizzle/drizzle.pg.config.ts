import { defineConfig } from "drizzle-kit";

// Generates the Postgres migrations shipped in the package: `pnpm generate:pg`.
// They are written for the default schema with unqualified names, so `postgresStorage({ schema })`
// can apply them to any schema through `search_path` (see src/pg/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/pg/schema.ts",
  out: "./migrations/pg",
});
