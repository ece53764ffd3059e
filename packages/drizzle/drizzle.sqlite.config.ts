import { defineConfig } from "drizzle-kit";

// Generates the SQLite migrations shipped in the package: `pnpm generate:sqlite`.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/sqlite/schema.ts",
  out: "./migrations/sqlite",
});
