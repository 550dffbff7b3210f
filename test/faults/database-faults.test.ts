import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "../../src/db/schema/index.ts";
import { notes } from "../../src/examples/notes/table.ts";
import {
  adminSecret,
  bearer,
  createUser,
  database,
  expectProblem,
  injectFault,
  login,
  requestJson,
} from "../support/harness.ts";

/**
 * Runs `during` with the database down (or slower than DATABASE_TIMEOUT_MS), heals
 * it, and waits out any delayed query, so what the tables hold afterwards is final.
 */
async function withFault<T>(
  fault: { down?: boolean; delay_ms?: number; fail_batch_statement?: number },
  during: () => Promise<T>,
): Promise<T> {
  const { heal } = await injectFault(fault);
  try {
    return await during();
  } finally {
    await heal();
    if (fault.delay_ms) await new Promise((resolve) => setTimeout(resolve, fault.delay_ms));
  }
}

/** A slow fault takes DATABASE_TIMEOUT_MS, then the delayed query is waited out. */
const FAULT_TEST_TIMEOUT = 40_000;

const FAULTS = [
  ["down", { down: true }],
  ["slower than the timeout", { delay_ms: 6_000 }],
] as const;

describe.each(FAULTS)("database %s", (_name, fault) => {
  it(
    "register answers 503 database_unavailable, writes nothing, and works after recovery",
    async () => {
      const email = `fault-${crypto.randomUUID().slice(0, 8)}@example.com`;
      const body = { email, password: "long enough password" };
      const problem = await withFault(fault, async () =>
        expectProblem(await requestJson("POST", "/v1/auth/register", body), 503, "database_unavailable"),
      );
      expect(JSON.stringify(problem)).not.toMatch(/stack|postgres|fetch failed|Error:/i);
      expect(await database().select().from(users).where(eq(users.email, email))).toEqual([]);
      expect((await requestJson("POST", "/v1/auth/register", body)).status).toBe(201);
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    "login answers 503 and opens no session; the next login works",
    async () => {
      const user = await createUser();
      await withFault(fault, async () =>
        expectProblem(
          await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password }),
          503,
          "database_unavailable",
        ),
      );
      expect(await database().select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
      await login(user);
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    "writing a note answers 503 and leaves no row; reads recover",
    async () => {
      const user = await createUser();
      const auth = bearer((await login(user)).access_token);
      await withFault(fault, async () => {
        await expectProblem(
          await requestJson("POST", "/v1/notes", { title: "lost?" }, auth),
          503,
          "database_unavailable",
        );
        await expectProblem(await requestJson("GET", "/v1/notes", undefined, auth), 503, "database_unavailable");
      });
      expect(await database().select().from(notes).where(eq(notes.userId, user.id))).toEqual([]);
      expect((await requestJson("GET", "/v1/notes", undefined, auth)).status).toBe(200);
    },
    FAULT_TEST_TIMEOUT,
  );
});

describe("a batch failing at its second statement", () => {
  const failSecond = { fail_batch_statement: 1 };

  it("deactivation answers 503 and changes nothing: the user stays active, the sessions live", async () => {
    const user = await createUser();
    const tokens = await login(user);
    await withFault(failSecond, async () =>
      expectProblem(
        await requestJson("PATCH", `/v1/admin/users/${user.id}`, { is_active: false }, adminSecret()),
        503,
        "database_unavailable",
      ),
    );
    const [row] = await database().select().from(users).where(eq(users.id, user.id));
    expect(row?.isActive).toBe(true);
    expect(await database().select().from(sessions).where(eq(sessions.userId, user.id))).toMatchObject([
      { revokedAt: null },
    ]);
    expect((await requestJson("GET", "/v1/auth/me", undefined, bearer(tokens.access_token))).status).toBe(200);
    expect((await requestJson("PATCH", `/v1/admin/users/${user.id}`, { is_active: false }, adminSecret())).status).toBe(
      200,
    );
  });

  it("a password change answers 503: the old password still works and no session ended", async () => {
    const user = await createUser();
    const [current, other] = [await login(user), await login(user)];
    const change = { current_password: user.password, new_password: "a brand new password" };
    await withFault(failSecond, async () =>
      expectProblem(
        await requestJson("POST", "/v1/auth/password", change, bearer(current.access_token)),
        503,
        "database_unavailable",
      ),
    );
    expect((await requestJson("GET", "/v1/auth/me", undefined, bearer(other.access_token))).status).toBe(200);
    await login(user);
    expect((await requestJson("POST", "/v1/auth/password", change, bearer(current.access_token))).status).toBe(204);
  });
});
