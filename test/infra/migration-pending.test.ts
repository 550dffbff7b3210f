import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createRouter } from "../../src/http/router.ts";
import { database, expectProblem, logLines, PRODUCTION, requestApp } from "../support/harness.ts";

// A route written for a table (or a column) whose migration was generated but never
// applied. It queries this file's own database whatever DATABASE_URL the app is given,
// so that the production settings, which refuse a local database, meet the same error.
const unmigrated = createRouter();
unmigrated.get("/unmigrated-table", async (c) => c.json(await database().execute(sql`SELECT * FROM widgets`)));
unmigrated.get("/unmigrated-column", async (c) => c.json(await database().execute(sql`SELECT widget_id FROM users`)));
const app = createApp([unmigrated]);

describe("a migration not applied yet", () => {
  it.each([
    ["table", "42P01"],
    ["column", "42703"],
  ])("in development, a missing %s answers a problem that names npm run db:migrate", async (missing, sqlstate) => {
    let response = new Response();
    const lines = await logLines(async () => {
      response = await requestApp(app, `/v1/unmigrated-${missing}`);
    });
    const problem = await expectProblem(response, 500, "internal");
    expect(problem.detail).toMatch(/a migration is pending\. Run `npm run db:migrate`/);
    expect(lines.find((line) => line.event === "unhandled_error")).toMatchObject({ sqlstate });
  });

  it("in production, the same error is a bare 500 that says nothing of the schema", async () => {
    const response = await requestApp(app, "/v1/unmigrated-table", undefined, PRODUCTION);
    const problem = await expectProblem(response, 500, "internal");
    expect(problem.detail).toBe("Something went wrong on our side.");
  });
});
