import type { Context } from "hono";
import type { AppEnv } from "../../app-env.ts";
import { ApiError } from "../../errors.ts";

/** The account-email routes answer 404 when ACCOUNT_EMAILS is off, as if they did not exist. */
export function requireAccountEmails(c: Context<AppEnv>): void {
  if (!c.env.ACCOUNT_EMAILS) throw new ApiError("not_found", "Account emails are turned off on this service.");
}
