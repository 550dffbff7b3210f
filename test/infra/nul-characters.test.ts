import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { users } from "../../src/db/schema/index.ts";
import { employees } from "../../src/examples/employees/table.ts";
import { notes } from "../../src/examples/notes/table.ts";
import { createRouter } from "../../src/http/router.ts";
import {
  bearer,
  createAdmin,
  createUser,
  database,
  expectProblem,
  login,
  requestApp,
  requestJson,
} from "../support/harness.ts";

/**
 * Postgres refuses U+0000 in text, so a NUL that reached a query was a 500. The one
 * validation hook (src/http/router.ts) refuses it in every validated string instead.
 */
const NUL = "\u0000";

/** Asserts a 422 `validation_failed` naming `path`. */
async function expectNulRefused(response: Response, path: string) {
  const problem = await expectProblem(response, 422, "validation_failed");
  expect(problem.errors).toContainEqual({ path, message: expect.stringContaining("NUL") });
}

describe("NUL characters in text", () => {
  it("register: 422, no user written", async () => {
    const email = `nul-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const response = await requestJson("POST", "/v1/auth/register", {
      email,
      password: "long enough password",
      name: `Ada${NUL}Lovelace`,
    });
    await expectNulRefused(response, "name");
    expect(await database().select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it("notes create: 422, no note written", async () => {
    const user = await createUser();
    const auth = bearer((await login(user)).access_token);
    await expectNulRefused(
      await requestJson("POST", "/v1/notes", { title: "t", content: `a${NUL}b` }, auth),
      "content",
    );
    expect(await database().select().from(notes).where(eq(notes.userId, user.id))).toEqual([]);
  });

  it("employees create: 422, no employee written", async () => {
    const admin = await createAdmin();
    const empId = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
    const body = { emp_id: empId, emp_name: `Bob${NUL}`, city: "Leeds", country: "UK", emp_dob: "1990-01-01" };
    const response = await requestJson("POST", "/v1/employees", body, bearer(admin.tokens.access_token));
    await expectNulRefused(response, "emp_name");
    expect(await database().select().from(employees).where(eq(employees.empId, empId))).toEqual([]);
  });

  it("a query parameter: 422, not 500", async () => {
    const user = await createUser();
    const auth = bearer((await login(user)).access_token);
    await expectNulRefused(await requestJson("GET", "/v1/employees?city=Le%00eds", undefined, auth), "city");
  });

  it("a new route's plain strings too, in its body, query and path", async () => {
    const route = createRoute({
      method: "post",
      path: "/echo/{word}",
      request: {
        params: z.object({ word: z.string() }),
        query: z.object({ tag: z.string().optional() }),
        body: {
          content: { "application/json": { schema: z.object({ items: z.array(z.object({ text: z.string() })) }) } },
        },
      },
      responses: { 200: { description: "echo" } },
    });
    const app = createApp([createRouter().openapi(route, (c) => c.json(c.req.valid("json"), 200))]);
    const post = (path: string, text: string) =>
      requestApp(app, path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ items: [{ text: "fine" }, { text }] }),
      });
    expect((await post("/v1/echo/word?tag=t", "fine")).status).toBe(200);
    await expectNulRefused(await post("/v1/echo/word", `x${NUL}`), "items.1.text");
    await expectNulRefused(await post("/v1/echo/word?tag=%00", "fine"), "tag");
    await expectNulRefused(await post("/v1/echo/w%00rd", "fine"), "word");
  });
});
