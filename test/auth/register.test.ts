import { describe, expect, it } from "vitest";
import { createUser, expectProblem, login, requestJson, sqlRequests } from "../support/harness.ts";

const unique = () => crypto.randomUUID().slice(0, 8);

describe("POST /v1/auth/register", () => {
  it("creates a user with role user, in one SQL request", async () => {
    const email = `ada-${unique()}@example.com`;
    const before = await sqlRequests();
    const response = await requestJson("POST", "/v1/auth/register", {
      email,
      password: "correct horse battery",
      username: `ada_${unique()}`,
      name: "Ada",
    });
    expect(await sqlRequests()).toBe(before + 1);
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      email,
      name: "Ada",
      role: "user",
      is_active: true,
      is_superuser: false,
      email_verified: false,
      mfa_enabled: false,
    });
    expect(Object.keys(body).sort()).toEqual(
      [
        "created_at",
        "email",
        "email_verified",
        "id",
        "is_active",
        "is_superuser",
        "mfa_enabled",
        "name",
        "role",
        "username",
      ].sort(),
    );
  });

  it("ignores privilege fields in the body", async () => {
    const response = await requestJson("POST", "/v1/auth/register", {
      email: `eve-${unique()}@example.com`,
      password: "correct horse battery",
      role: "admin",
      is_superuser: true,
      is_active: false,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ role: "user", is_superuser: false, is_active: true });
  });

  it("refuses a taken email or username in any letter case with 409 user_exists", async () => {
    const user = await createUser();
    const sameEmail = await requestJson("POST", "/v1/auth/register", {
      email: user.email.toUpperCase(),
      password: "another password",
    });
    await expectProblem(sameEmail, 409, "user_exists");
    const sameUsername = await requestJson("POST", "/v1/auth/register", {
      email: `other-${unique()}@example.com`,
      username: user.username.toUpperCase(),
      password: "another password",
    });
    await expectProblem(sameUsername, 409, "user_exists");
  });

  it("refuses passwords shorter than 8 or longer than 1024 characters, and bad emails, with 422", async () => {
    for (const [email, password, path] of [
      [`a-${unique()}@example.com`, "short", "password"],
      [`a-${unique()}@example.com`, "x".repeat(1025), "password"],
      ["not-an-email", "long enough password", "email"],
    ] as const) {
      const problem = await expectProblem(
        await requestJson("POST", "/v1/auth/register", { email, password }),
        422,
        "validation_failed",
      );
      expect(problem.errors?.map((error) => error.path)).toContain(path);
    }
  });

  it("accepts exactly 8 and exactly 1024 characters", async () => {
    for (const password of ["12345678", "p".repeat(1024)]) {
      const email = `edge-${unique()}@example.com`;
      expect((await requestJson("POST", "/v1/auth/register", { email, password })).status).toBe(201);
      await login({ email, password });
    }
  });

  it("limits registrations to 3 per minute per IP", async () => {
    const ip = "10.250.250.1";
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const response = await requestJson(
        "POST",
        "/v1/auth/register",
        { email: `burst-${unique()}@example.com`, password: "long enough password" },
        { "CF-Connecting-IP": ip },
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });
});
