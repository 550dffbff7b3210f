import { createScheduledController, env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
// The Worker's entry point, whose `scheduled` the Cron Trigger calls.
import worker from "../../src/index.ts";
import {
  adminSecret,
  afterResponses,
  bearer,
  createAdmin,
  createUser,
  database,
  expectProblem,
  freshIp,
  login,
  logLines,
  requestApp,
  requestJson,
} from "../support/harness.ts";

interface EventBody {
  id: string;
  at: string;
  event: string;
  outcome: string;
  actor: { kind: string; id: string | null };
  subject: { kind: string; id: string } | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}
interface EventPage {
  items: EventBody[];
  has_more: boolean;
  next_cursor: string | null;
}

/** The rows of `audit_events` about `id` (as actor or subject), oldest first. */
async function rowsAbout(id: string) {
  const { rows } = await database().execute<{ event: string; actor_kind: string; actor_id: string | null }>(
    sql`SELECT * FROM audit_events WHERE actor_id = ${id} OR subject_id = ${id} ORDER BY at, id`,
  );
  return rows;
}

const activityOf = async (accessToken: string, query = "") => {
  const response = await requestJson("GET", `/v1/auth/activity${query}`, undefined, bearer(accessToken));
  expect(response.status).toBe(200);
  return (await response.json()) as EventPage;
};

const adminAudit = async (query: string) => {
  const response = await requestJson("GET", `/v1/admin/audit${query}`, undefined, adminSecret());
  expect(response.status).toBe(200);
  return (await response.json()) as EventPage;
};

describe("audit trail", () => {
  it("writes a change and its event in one transaction, and a failed change writes none", async () => {
    const admin = await createAdmin();
    const user = await createUser();
    const lines = await logLines(async () => {
      const response = await requestJson(
        "PATCH",
        `/v1/admin/users/${user.id}/role`,
        { role: "admin" },
        { ...bearer(admin.tokens.access_token), "User-Agent": "audit-test", "CF-Connecting-IP": "198.51.100.23" },
      );
      expect(response.status).toBe(200);
    });
    // The row is there as soon as the answer is: it was written in the change's own batch.
    const { rows } = await database().execute(
      sql`SELECT * FROM audit_events WHERE event = 'role_changed' AND subject_id = ${user.id}`,
    );
    expect(rows).toEqual([
      expect.objectContaining({
        actor_kind: "user",
        actor_id: admin.id,
        subject_kind: "user",
        outcome: "success",
        ip: "198.51.100.23",
        user_agent: "audit-test",
        details: { role: "admin" },
      }),
    ]);
    // The same event once in the log, with the same request id as the row.
    const logged = lines.filter((line) => line.event === "role_changed");
    expect(logged).toEqual([expect.objectContaining({ security_event: true, user_id: user.id, by: admin.id })]);
    expect(logged[0]?.request_id).toBe((rows[0] as { request_id: string }).request_id);

    const missing = crypto.randomUUID();
    const refused = await logLines(async () => {
      const response = await requestJson("PATCH", `/v1/admin/users/${missing}/role`, { role: "admin" }, adminSecret());
      await expectProblem(response, 404, "not_found");
    });
    expect(refused.some((line) => line.event === "role_changed")).toBe(false);
    expect(await rowsAbout(missing)).toEqual([]);
  });

  it("writes a failed login after the response with the account's id, never the login typed", async () => {
    const user = await createUser();
    const wrong = await requestJson("POST", "/v1/auth/login", { login: user.username, password: "not it at all" });
    await expectProblem(wrong, 401, "invalid_credentials");
    const typed = `nobody-${crypto.randomUUID()}@example.com`;
    const unknown = await requestJson("POST", "/v1/auth/login", { login: typed, password: "not it at all" });
    await expectProblem(unknown, 401, "invalid_credentials");

    await afterResponses();
    const { rows: failures } = await database().execute<{
      subject_id: string | null;
      actor_kind: string;
      details: unknown;
    }>(sql`SELECT * FROM audit_events WHERE event = 'login_failure' ORDER BY at`);
    expect(failures.find((row) => row.subject_id === user.id)).toMatchObject({
      actor_kind: "anonymous",
      details: { method: "password", reason: "wrong_password" },
    });
    expect(failures.find((row) => row.subject_id === null)).toMatchObject({ details: { reason: "unknown_login" } });
    const { rows: everything } = await database().execute(sql`SELECT * FROM audit_events`);
    expect(JSON.stringify(everything)).not.toContain(typed);
    expect(JSON.stringify(everything)).not.toContain(user.username);
  });

  it("logs a lost write and still answers: the audit trail never turns a request into a 5xx", async () => {
    const app = createApp();
    const broken = { DATABASE_URL: "postgres://gatehouse:local@127.0.0.1:1/nowhere", DATABASE_TIMEOUT_MS: "500" };
    const lines = await logLines(async () => {
      const response = await requestApp(
        app,
        "/v1/admin/users",
        { headers: { "X-Admin-Secret": "x".repeat(40), "CF-Connecting-IP": freshIp() } },
        broken,
      );
      expect(response.status).toBe(401);
    });
    expect(lines.find((line) => line.event === "admin_secret_rejected")).toMatchObject({ security_event: true });
    expect(lines.find((line) => line.event === "audit_events_lost")).toMatchObject({ entries: 1 });
  });
});

describe("GET /v1/auth/activity", () => {
  it("shows the caller's own events, newest first, and nobody else's", async () => {
    const user = await createUser();
    const other = await createUser();
    await expectProblem(
      await requestJson("POST", "/v1/auth/login", { login: user.email, password: "a wrong one" }),
      401,
      "invalid_credentials",
    );
    const tokens = await login(user, { "CF-Connecting-IP": "203.0.113.9" });
    await login(other);

    await afterResponses();
    const page = await activityOf(tokens.access_token);
    expect(page.items.map((item) => item.event)).toEqual(["login_success", "login_failure", "register"]);
    expect(page.items[0]).toMatchObject({
      outcome: "success",
      actor: { kind: "user", id: user.id },
      subject: { kind: "session" },
      ip: "203.0.113.9",
      details: { method: "password" },
    });
    expect(page.items[1]).toMatchObject({ outcome: "failure", actor: { kind: "anonymous", id: null } });
    const ats = page.items.map((item) => Date.parse(item.at));
    expect([...ats].sort((a, b) => b - a)).toEqual(ats);
    expect(JSON.stringify(page)).not.toContain(other.id);

    const failures = await activityOf(tokens.access_token, "?event=login_failure");
    expect(failures.items.map((item) => item.event)).toEqual(["login_failure"]);
    const later = await activityOf(
      tokens.access_token,
      `?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(later.items).toEqual([]);
  });

  it("refuses bad filters with 422 and a request without a session with 401", async () => {
    const user = await createUser();
    const { access_token } = await login(user);
    for (const query of [
      "?event=DROP%20TABLE",
      "?since=yesterday",
      "?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z",
    ]) {
      const response = await requestJson("GET", `/v1/auth/activity${query}`, undefined, bearer(access_token));
      await expectProblem(response, 422, "validation_failed");
    }
    await expectProblem(await requestJson("GET", "/v1/auth/activity"), 401, "unauthorized");
  });
});

describe("GET /v1/admin/audit", () => {
  it("filters by event, actor, subject and time, and pages by keyset cursor without repeats", async () => {
    const admin = await createAdmin();
    const users = await Promise.all([createUser(), createUser(), createUser()]);
    const before = new Date().toISOString();
    for (const user of users) {
      const response = await requestJson(
        "PATCH",
        `/v1/admin/users/${user.id}/role`,
        { role: "admin" },
        bearer(admin.tokens.access_token),
      );
      expect(response.status).toBe(200);
    }
    const byAdmin = await adminAudit(`?event=role_changed&actor_id=${admin.id}&since=${encodeURIComponent(before)}`);
    expect(byAdmin.items.map((item) => item.subject?.id)).toEqual(users.map((user) => user.id).reverse());

    const [first] = users;
    const aboutFirst = await adminAudit(`?subject_id=${first?.id}`);
    expect(aboutFirst.items.map((item) => item.event)).toEqual(["role_changed"]);

    // Page through every role change two at a time: each exactly once, in order.
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: EventPage = await adminAudit(`?event=role_changed&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor;
    }
    const all = await adminAudit("?event=role_changed&limit=100");
    expect(seen).toEqual(all.items.map((item) => item.id));
    expect(new Set(seen).size).toBe(seen.length);

    await expectProblem(
      await requestJson("GET", "/v1/admin/audit?cursor=bm90LWEtY3Vyc29y", undefined, adminSecret()),
      400,
      "invalid_cursor",
    );
    await expectProblem(
      await requestJson("GET", "/v1/admin/audit?actor_kind=root", undefined, adminSecret()),
      422,
      "validation_failed",
    );
  });

  it("is for administrators only", async () => {
    const user = await createUser();
    const { access_token } = await login(user);
    await expectProblem(await requestJson("GET", "/v1/admin/audit", undefined, bearer(access_token)), 403, "forbidden");
  });
});

describe("retention", () => {
  it("deletes events older than AUDIT_RETENTION_DAYS and cuts addresses older than 30 days to their network", async () => {
    const db = database();
    const event = (days: number, ip: string) => {
      const id = crypto.randomUUID();
      return {
        id,
        insert: db.execute(sql`INSERT INTO audit_events (id, at, event, outcome, actor_kind, ip)
          VALUES (${id}, now() - make_interval(days => ${days}), 'retention_probe', 'success', 'system', ${ip}::inet)`),
      };
    };
    const expired = event(101, "192.0.2.1");
    const old4 = event(31, "198.51.100.77");
    const old6 = event(45, "2001:db8:1234:5678::1");
    const recent = event(29, "203.0.113.5");
    await db.batch([expired.insert, old4.insert, old6.insert, recent.insert]);

    const run = () =>
      worker.scheduled(createScheduledController({ cron: "17 3 * * *" }), { ...env, AUDIT_RETENTION_DAYS: "100" });
    const lines = await logLines(run);
    expect(lines.find((line) => line.event === "audit_retention")).toMatchObject({ retention_days: 100, deleted: 1 });

    const { rows } = await db.execute<{ id: string; ip: string }>(
      sql`SELECT id, host(ip) || '/' || masklen(ip) AS ip FROM audit_events WHERE event = 'retention_probe'`,
    );
    const ipOf = Object.fromEntries(rows.map((row) => [row.id, row.ip]));
    expect(ipOf).toEqual({
      [old4.id]: "198.51.100.0/24",
      [old6.id]: "2001:db8:1234::/48",
      [recent.id]: "203.0.113.5/32",
    });
    // A second run finds nothing more to do.
    const again = await logLines(run);
    expect(again.find((line) => line.event === "audit_retention")).toMatchObject({ deleted: 0, truncated: 0 });
  });

  it("fails the run, logged, on a bad configuration", async () => {
    const lines = await logLines(async () => {
      await expect(
        worker.scheduled(createScheduledController(), { ...env, AUDIT_RETENTION_DAYS: "0" }),
      ).rejects.toThrow("configuration_invalid");
    });
    expect(lines.find((line) => line.event === "configuration_invalid")).toBeDefined();
  });
});
