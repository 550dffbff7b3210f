import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { neon } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgliteBackend } from "../sql-over-http/pglite-backend.ts";
import { type SqlOverHttp, startSqlOverHttp } from "../sql-over-http/server.ts";
import { migrate, watchMigrations } from "./migrate.ts";

let endpoint: SqlOverHttp;
const urlOf = (database: string) => `postgres://gatehouse:local@127.0.0.1:${endpoint.port}/${database}`;

beforeAll(async () => {
  endpoint = await startSqlOverHttp(new PgliteBackend({ database: "postgres" }));
});
afterAll(() => endpoint.close());

/** A migrations folder as drizzle-kit writes it, with the given SQL files in order. */
function migrationsFolder(files: string[]): string {
  const folder = mkdtempSync(join(tmpdir(), "migrations-"));
  mkdirSync(join(folder, "meta"));
  writeMigrations(folder, files);
  return folder;
}

/** Writes `files` into `folder` as drizzle-kit does: the SQL files, then the journal naming them. */
function writeMigrations(folder: string, files: string[]): void {
  for (const [idx, sql] of files.entries()) writeFileSync(join(folder, `000${idx}_step.sql`), sql);
  const entries = files.map((_, idx) => ({
    idx,
    version: "7",
    when: 1_700_000_000_000 + idx,
    tag: `000${idx}_step`,
    breakpoints: true,
  }));
  writeFileSync(join(folder, "meta/_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
}

describe("npm run db:migrate", () => {
  it("applies the project's migrations through the Neon driver, once", async () => {
    await endpoint.backend.createDatabase("fresh");
    const journal = JSON.parse(readFileSync("migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
    expect(await migrate(urlOf("fresh"))).toBe(journal.entries.length);
    expect(await migrate(urlOf("fresh"))).toBe(0);
    const sql = neon(urlOf("fresh"));
    const tables = await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`;
    expect(tables.map((row) => row.table_name)).toContain("users");
  });

  it("applies pending migrations all or nothing", async () => {
    await endpoint.backend.createDatabase("atomic");
    const folder = migrationsFolder([
      "CREATE TABLE first_table (id int);",
      "CREATE TABLE second_table (id int);--> statement-breakpoint\nCREATE TABLE broken (id nonexistent_type);",
    ]);
    await expect(migrate(urlOf("atomic"), folder)).rejects.toMatchObject({ code: "42704" });
    const sql = neon(urlOf("atomic"));
    const tables = await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`;
    expect(tables).toEqual([]);
    expect(await sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`).toEqual([{ n: 0 }]);
  });

  it("applies a migration generated while npm run dev runs, as soon as it is written", async () => {
    await endpoint.backend.createDatabase("watched");
    const first = ["CREATE TABLE first_table (id int);"];
    const folder = migrationsFolder(first);
    expect(await migrate(urlOf("watched"), folder)).toBe(1);
    const applied = Promise.withResolvers<number>();
    const watcher = watchMigrations(urlOf("watched"), applied.resolve, applied.reject, folder);
    try {
      writeMigrations(folder, [...first, "CREATE TABLE generated_later (id int);"]);
      expect(await applied.promise).toBe(1);
      const sql = neon(urlOf("watched"));
      expect(await sql`SELECT count(*)::int AS n FROM generated_later`).toEqual([{ n: 0 }]);
    } finally {
      watcher.close();
    }
  });

  it("waits for SQL in a custom migration before applying it", async () => {
    await endpoint.backend.createDatabase("custom");
    const folder = migrationsFolder(["CREATE TABLE first_table (id int);"]);
    expect(await migrate(urlOf("custom"), folder)).toBe(1);
    const applied = Promise.withResolvers<number>();
    const watcher = watchMigrations(urlOf("custom"), applied.resolve, applied.reject, folder);
    try {
      const placeholder = "-- Custom SQL migration file, put your code below! --";
      writeMigrations(folder, ["CREATE TABLE first_table (id int);", placeholder]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const sql = neon(urlOf("custom"));
      expect(await sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`).toEqual([{ n: 1 }]);
      writeFileSync(join(folder, "0001_step.sql"), `${placeholder}\nCREATE TABLE filled_in (id int);`);
      expect(await applied.promise).toBe(1);
      expect(await sql`SELECT count(*)::int AS n FROM filled_in`).toEqual([{ n: 0 }]);
    } finally {
      watcher.close();
    }
  });
});
