import { describe, expect, it } from "vitest";
import {
  adminSecret,
  bearer,
  createAdmin,
  createUser,
  expectProblem,
  login,
  logLines,
  requestJson,
} from "../support/harness.ts";

describe("/v1/admin/users", () => {
  it("lists users page by page for an admin token, never with password hashes", async () => {
    const admin = await createAdmin();
    await createUser();
    const response = await requestJson(
      "GET",
      "/v1/admin/users?limit=1&offset=1&include_total=true",
      undefined,
      bearer(admin.tokens.access_token),
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      items: Record<string, unknown>[];
      total: number;
      offset: number;
      limit: number;
    };
    expect(page).toMatchObject({ offset: 1, limit: 1 });
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect(page.items).toHaveLength(1);
    expect(JSON.stringify(page)).not.toContain("argon2");
    const beyond = (await (
      await requestJson("GET", "/v1/admin/users?offset=100000&include_total=true", undefined, adminSecret())
    ).json()) as { items: unknown[]; total: number };
    expect(beyond).toMatchObject({ items: [], total: page.total });
  });

  it("refuses a regular user (403), no credentials (401) and a wrong admin secret (401)", async () => {
    const user = await login(await createUser());
    await expectProblem(
      await requestJson("GET", "/v1/admin/users", undefined, bearer(user.access_token)),
      403,
      "forbidden",
    );
    await expectProblem(await requestJson("GET", "/v1/admin/users"), 401, "unauthorized");
    await expectProblem(
      await requestJson("GET", "/v1/admin/users", undefined, { "X-Admin-Secret": "x".repeat(40) }),
      401,
      "unauthorized",
    );
  });

  it("validates paging: offset >= 0, limit 1..100", async () => {
    for (const query of ["limit=0", "limit=101", "offset=-1", "limit=abc"]) {
      await expectProblem(
        await requestJson("GET", `/v1/admin/users?${query}`, undefined, adminSecret()),
        422,
        "validation_failed",
      );
    }
  });

  it("changes a role (logging role_changed), and the change applies to the user's next request", async () => {
    const admin = await createAdmin();
    const target = await createUser();
    const targetTokens = await login(target);
    await expectProblem(
      await requestJson("GET", "/v1/admin/users", undefined, bearer(targetTokens.access_token)),
      403,
      "forbidden",
    );
    let response = new Response();
    const lines = await logLines(async () => {
      response = await requestJson(
        "PATCH",
        `/v1/admin/users/${target.id}/role`,
        { role: "admin" },
        bearer(admin.tokens.access_token),
      );
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: target.id, email: target.email, role: "admin" });
    expect(lines.find((line) => line.event === "role_changed")).toMatchObject({
      user_id: target.id,
      role: "admin",
      by: admin.id,
    });
    expect((await requestJson("GET", "/v1/admin/users", undefined, bearer(targetTokens.access_token))).status).toBe(
      200,
    );
    const meResponse = await requestJson("GET", "/v1/auth/me", undefined, bearer(targetTokens.access_token));
    expect(await meResponse.json()).toMatchObject({ role: "admin" });
  });

  it("answers 422 for an unknown role or a bad id, 404 for an unknown user, 403 for a non-admin", async () => {
    const target = await createUser();
    await expectProblem(
      await requestJson("PATCH", `/v1/admin/users/${target.id}/role`, { role: "supervillain" }, adminSecret()),
      422,
      "validation_failed",
    );
    await expectProblem(
      await requestJson("PATCH", "/v1/admin/users/42/role", { role: "admin" }, adminSecret()),
      422,
      "validation_failed",
    );
    await expectProblem(
      await requestJson("PATCH", `/v1/admin/users/${crypto.randomUUID()}/role`, { role: "admin" }, adminSecret()),
      404,
      "not_found",
    );
    const user = await login(await createUser());
    await expectProblem(
      await requestJson("PATCH", `/v1/admin/users/${target.id}/role`, { role: "admin" }, bearer(user.access_token)),
      403,
      "forbidden",
    );
  });

  it("checks authorisation before validating the body", async () => {
    const user = await login(await createUser());
    await expectProblem(
      await requestJson("PATCH", "/v1/admin/users/42/role", { role: "nope" }, bearer(user.access_token)),
      403,
      "forbidden",
    );
  });

  it("lets a demoted admin's token lose admin rights at once", async () => {
    const admin = await createAdmin();
    await requestJson("PATCH", `/v1/admin/users/${admin.id}/role`, { role: "user" }, adminSecret());
    await expectProblem(
      await requestJson("GET", "/v1/admin/users", undefined, bearer(admin.tokens.access_token)),
      403,
      "forbidden",
    );
  });

  it("answers 404 for deactivating an unknown user and 422 for a non-boolean is_active", async () => {
    await expectProblem(
      await requestJson("PATCH", `/v1/admin/users/${crypto.randomUUID()}`, { is_active: false }, adminSecret()),
      404,
      "not_found",
    );
    const target = await createUser();
    await expectProblem(
      await requestJson("PATCH", `/v1/admin/users/${target.id}`, { is_active: "no" }, adminSecret()),
      422,
      "validation_failed",
    );
  });
});
