import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { bearer, createUser, expectProblem, freshIp, login, request, requestApp } from "../support/harness.ts";

const app = createApp();
const ID = crypto.randomUUID();

/** Every route of each deployment switch (`defineRoute({ feature })`), and what it answers while off. */
const GATED = [
  {
    setting: "PASSKEYS",
    detail: "Passkeys are turned off on this service.",
    routes: [
      ["post", "/v1/auth/passkeys/register/options"],
      ["post", "/v1/auth/passkeys/register"],
      ["get", "/v1/auth/passkeys"],
      ["patch", `/v1/auth/passkeys/${ID}`],
      ["delete", `/v1/auth/passkeys/${ID}`],
      ["post", "/v1/auth/passkeys/login/options"],
      ["post", "/v1/auth/passkeys/login"],
    ],
  },
  {
    setting: "ACCOUNT_EMAILS",
    detail: "Account emails are turned off on this service.",
    routes: [
      ["post", "/v1/auth/email/verify"],
      ["post", "/v1/auth/email/verify/request"],
      ["post", "/v1/auth/email/verify/resend"],
      ["post", "/v1/auth/password/forgot"],
      ["post", "/v1/auth/password/reset"],
    ],
  },
] as const;

/** A request as a freshly logged-in user (so re-authentication is recent), with a body that matches no schema. */
const send = (method: string, path: string, accessToken: string, bindings: Record<string, string>) =>
  requestApp(
    app,
    path,
    {
      method: method.toUpperCase(),
      headers: { ...bearer(accessToken), "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
      ...(method === "get" || method === "delete" ? {} : { body: JSON.stringify({ unexpected: true }) }),
    },
    bindings,
  );

describe("feature gates", () => {
  for (const { setting, detail, routes } of GATED) {
    it(`answer 404 on every ${setting} route while it is false, whatever the body`, async () => {
      const { access_token } = await login(await createUser());
      for (const [method, path] of routes) {
        const problem = await expectProblem(
          await send(method, path, access_token, { [setting]: "false" }),
          404,
          "not_found",
        );
        expect(problem.detail, `${method} ${path}`).toBe(detail);
      }
    });
  }

  it("still let the access guards answer first", async () => {
    const response = await requestApp(
      app,
      "/v1/auth/passkeys",
      { headers: { "CF-Connecting-IP": freshIp() } },
      { PASSKEYS: "false" },
    );
    await expectProblem(response, 401, "unauthorized");
  });

  it("document their 404 on every gated operation", async () => {
    const document = (await (await request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    for (const { routes } of GATED) {
      for (const [method, path] of routes) {
        const operation = document.paths[path.replace(ID, "{id}")]?.[method];
        expect(operation?.responses, `${method} ${path}`).toHaveProperty("404");
      }
    }
  });
});
