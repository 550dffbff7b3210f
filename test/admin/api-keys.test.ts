import { describe, expect, it } from "vitest";
import {
  adminSecret,
  bearer,
  createAdmin,
  createKey,
  createUser,
  eventually,
  expectProblem,
  login,
  logLines,
  requestJson,
  withKey,
} from "../support/harness.ts";

const create = (body: Record<string, unknown>, headers: Record<string, string> = adminSecret()) =>
  requestJson("POST", "/v1/admin/api-keys", { name: `svc-${crypto.randomUUID().slice(0, 8)}`, ...body }, headers);

describe("/v1/admin/api-keys", () => {
  it("mints a service key with the admin secret: it acts for no user, within its scopes", async () => {
    const response = await create({ scopes: ["employees:read"], expires_in_days: 90 });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; key: string; user_id: string | null };
    expect(created.user_id).toBeNull();
    const whoami = await requestJson("GET", "/v1/protected/service", undefined, withKey(created.key));
    expect(await whoami.json()).toEqual({ auth: "api_key", user_id: null, key_id: created.id });
    // Owner-scoped routes have no user to act for.
    const me = await requestJson("GET", "/v1/auth/me", undefined, withKey(created.key));
    await expectProblem(me, 403, "insufficient_scope");
    const scoped = (await (await create({ scopes: ["profile:read"] })).json()) as { key: string };
    await expectProblem(await requestJson("GET", "/v1/auth/me", undefined, withKey(scoped.key)), 403, "forbidden");
  });

  it("mints a key on a user's behalf (404 for an unknown user), logged and shown to the user as issued by an admin", async () => {
    const user = await createUser();
    let response = new Response();
    const lines = await logLines(async () => {
      response = await create({ user_id: user.id, scopes: ["profile:read"] });
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; key: string; user_id: string };
    expect(created.user_id).toBe(user.id);
    expect(lines.find((line) => line.event === "api_key_created")).toMatchObject({
      key_id: created.id,
      user_id: user.id,
      on_behalf_of_user: true,
      by: "admin_secret",
    });
    expect(JSON.stringify(lines)).not.toContain(created.key);
    // The user sees it among their own keys, marked, and can revoke it.
    const own = await requestJson("GET", "/v1/keys", undefined, bearer((await login(user)).access_token));
    const { items } = (await own.json()) as { items: { id: string; issued_by_admin: boolean }[] };
    expect(items).toEqual([expect.objectContaining({ id: created.id, issued_by_admin: true })]);
    const me = await requestJson("GET", "/v1/auth/me", undefined, withKey(created.key));
    expect(await me.json()).toMatchObject({ id: user.id });
    await expectProblem(await create({ user_id: crypto.randomUUID() }), 404, "not_found");
  });

  it("lists every key for an admin token, revokes, renews and reports usage of any key", async () => {
    const admin = await createAdmin();
    const owner = await createUser();
    const ownerKey = await createKey((await login(owner)).access_token);
    const asAdmin = bearer(admin.tokens.access_token);

    const list = (await (await requestJson("GET", "/v1/admin/api-keys?limit=100", undefined, asAdmin)).json()) as {
      items: { id: string; user_id: string }[];
      total: number;
    };
    expect(list.items.find((item) => item.id === ownerKey.id)).toMatchObject({ user_id: owner.id });
    expect(JSON.stringify(list)).not.toContain(ownerKey.key);

    await requestJson("GET", "/v1/protected/service", undefined, withKey(ownerKey.key));
    await eventually(async () => {
      const usage = await requestJson("GET", `/v1/admin/api-keys/${ownerKey.id}/usage`, undefined, asAdmin);
      expect(await usage.json()).toMatchObject({ total_requests: 1 });
    });

    let revoked = new Response();
    const lines = await logLines(async () => {
      revoked = await requestJson("DELETE", `/v1/admin/api-keys/${ownerKey.id}`, undefined, asAdmin);
    });
    expect(revoked.status).toBe(204);
    expect(lines.find((line) => line.event === "api_key_revoked")).toMatchObject({ key_id: ownerKey.id, by: admin.id });
    await expectProblem(
      await requestJson("GET", "/v1/protected/service", undefined, withKey(ownerKey.key)),
      401,
      "api_key_revoked",
    );
    await expectProblem(
      await requestJson("POST", `/v1/admin/api-keys/${ownerKey.id}/renew`, { expires_in_days: 1 }, asAdmin),
      409,
      "conflict",
    );
    const fresh = (await (await create({})).json()) as { id: string };
    const renewed = await requestJson("POST", `/v1/admin/api-keys/${fresh.id}/renew`, { never_expires: true }, asAdmin);
    expect(await renewed.json()).toMatchObject({ id: fresh.id, expires_at: null });
  });

  it("refuses regular users (403), API keys (403) and no credentials (401)", async () => {
    const user = await login(await createUser());
    const { key } = await createKey(user.access_token);
    await expectProblem(
      await requestJson("GET", "/v1/admin/api-keys", undefined, bearer(user.access_token)),
      403,
      "forbidden",
    );
    await expectProblem(await requestJson("GET", "/v1/admin/api-keys", undefined, withKey(key)), 403, "forbidden");
    await expectProblem(await requestJson("GET", "/v1/admin/api-keys"), 401, "unauthorized");
    await expectProblem(await create({}, bearer(user.access_token)), 403, "forbidden");
  });
});
