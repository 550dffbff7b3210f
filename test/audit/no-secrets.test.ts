import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { totpCode } from "../../src/credentials/totp.ts";
import { credentialShapesIn } from "../support/audit.ts";
import { afterResponses, bearer, createKey, createUser, database, login, requestJson } from "../support/harness.ts";
import { nextEmailTo, tokenIn } from "../support/mailbox.ts";
import { enableTotp } from "../support/totp.ts";

describe("the audit trail holds no secret", () => {
  it("after every flow that handles one: passwords, tokens, keys, codes and reset tokens", async () => {
    const user = await createUser();
    const secrets: string[] = [user.password, "a wrong password typed"];
    await requestJson("POST", "/v1/auth/login", { login: user.email, password: "a wrong password typed" });
    const tokens = await login(user);
    secrets.push(tokens.access_token, tokens.refresh_token);
    const refreshed = await requestJson("POST", "/v1/auth/refresh", { refresh_token: tokens.refresh_token });
    const rotated = (await refreshed.json()) as { access_token: string; refresh_token: string };
    secrets.push(rotated.access_token, rotated.refresh_token);
    const fresh = await login(user);
    const key = await createKey(fresh.access_token);
    secrets.push(key.key);

    const totp = await enableTotp(user, fresh);
    const codes = await requestJson(
      "POST",
      "/v1/auth/mfa/recovery-codes",
      { password: user.password, code: await totpCode(totp) },
      bearer(fresh.access_token),
    );
    const { recovery_codes } = (await codes.json()) as { recovery_codes: string[] };
    secrets.push(...recovery_codes);
    const started = await requestJson("POST", "/v1/auth/login", { login: user.email, password: user.password });
    const { mfa_token } = (await started.json()) as { mfa_token: string };
    secrets.push(mfa_token);
    const second = await requestJson("POST", "/v1/auth/mfa/verify", { mfa_token, recovery_code: recovery_codes[0] });
    expect(second.status).toBe(200);

    expect((await requestJson("POST", "/v1/auth/password/forgot", { email: user.email })).status).toBe(202);
    const resetToken = tokenIn(await nextEmailTo(user.email, 1));
    const newPassword = "a brand new long password";
    const reset = await requestJson("POST", "/v1/auth/password/reset", {
      token: resetToken,
      new_password: newPassword,
    });
    expect(reset.status).toBe(204);
    secrets.push(resetToken, newPassword);

    // The failed login is written after its response: wait for it.
    await afterResponses();
    const { rows } = await database().execute<{ event: string; row: string }>(
      sql`SELECT event, to_jsonb(audit_events)::text AS row FROM audit_events`,
    );
    expect([...new Set(rows.map((row) => row.event))]).toEqual(
      expect.arrayContaining([
        "register",
        "login_failure",
        "login_success",
        "token_refresh",
        "api_key_created",
        "mfa_enabled",
        "mfa_recovery_codes_regenerated",
        "mfa_recovery_code_used",
        "password_reset",
      ]),
    );
    const text = rows.map((row) => row.row).join("\n");
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(credentialShapesIn(text)).toEqual([]);
  });

  it("recognises each credential shape it scans for, so the scan is not vacuous", () => {
    expect(credentialShapesIn("eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.sig")).toContain("jwt");
    expect(credentialShapesIn("gate_4vJ9qPzKcR8mN2xT7bW5yL3hF6dS1aE")).toContain("api key");
    expect(credentialShapesIn("ab3de-fg4hk")).toContain("recovery code");
    expect(credentialShapesIn("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")).toContain("password hash");
    expect(credentialShapesIn(`${crypto.randomUUID()}.3.${"x".repeat(43)}`)).toContain("refresh token");
    expect(credentialShapesIn(crypto.randomUUID())).toEqual([]);
  });
});
