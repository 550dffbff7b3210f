/**
 * Runs once per `vitest` run, in Node: starts the local SQL-over-HTTP endpoint
 * (PGlite in memory, or the PostgreSQL server of TEST_POSTGRES_URL) and migrates a
 * template database that every test file copies (test/setup/database.ts).
 */
import type { TestProject } from "vitest/node";
import { migrate } from "../scripts/db/migrate.ts";
import { startLocalDatabase } from "../scripts/sql-over-http/start.ts";

export const TEMPLATE_DATABASE = `gatehouse_template_${process.pid}`;

export default async function setup(project: TestProject) {
  const endpoint = await startLocalDatabase({
    database: TEMPLATE_DATABASE,
    postgresUrl: process.env.TEST_POSTGRES_URL,
  });
  await migrate(`postgres://gatehouse:local@127.0.0.1:${endpoint.port}/${TEMPLATE_DATABASE}`);
  project.provide("sqlEndpoint", endpoint.url);
  project.provide("templateDatabase", TEMPLATE_DATABASE);
  console.log(`SQL-over-HTTP endpoint on ${endpoint.url} (${endpoint.backend.kind})`);
  return async () => {
    if (process.env.TEST_POSTGRES_URL) await endpoint.backend.dropDatabase(TEMPLATE_DATABASE);
    await endpoint.close();
  };
}
