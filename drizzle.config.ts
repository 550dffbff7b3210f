import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  // The product's tables, then the examples' (src/examples/*/table.ts): deleting an example drops its table in the next migration.
  schema: ["./src/db/schema/index.ts", "./src/examples/*/table.ts"],
  out: "./migrations",
  casing: "snake_case",
});
