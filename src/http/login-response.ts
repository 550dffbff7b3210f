import type { Context } from "hono";
import type { LoginFlow, LoginOutcome } from "../services/login.ts";
import type { ClientInfo } from "../services/sessions.ts";
import type { AppEnv } from "./app-env.ts";
import { setSessionCookies } from "./cookies.ts";

/** What a login route tells the login pipeline about who is asking. */
export const clientOf = (c: Context<AppEnv>): ClientInfo => ({
  ip: c.var.ip,
  userAgent: c.req.header("User-Agent"),
});

/** A login's JSON body: the session's tokens, or the `mfa_token` of its second step. */
export const loginBody = (outcome: LoginOutcome) =>
  "mfaToken" in outcome ? { mfa_required: true as const, mfa_token: outcome.mfaToken } : outcome.tokens;

/**
 * How a login through src/services/login.ts answers in `flow`: an account with a second
 * factor gets `{mfa_required, mfa_token}` (200) for /v1/auth/mfa/verify; a session is
 * bearer tokens in JSON (200) or the session cookies (204), for which the route has
 * already refused a foreign Origin.
 *
 * @example
 * return answerLogin(c, await c.var.services.login.withPassword(login, password, clientOf(c), "bearer"), "bearer");
 */
export function answerLogin(c: Context<AppEnv>, outcome: LoginOutcome, flow: LoginFlow) {
  if ("mfaToken" in outcome || flow === "bearer") return c.json(loginBody(outcome), 200);
  setSessionCookies(c, outcome.tokens);
  return c.body(null, 204);
}
