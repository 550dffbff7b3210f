import type { Context } from "hono";
import { ApiError } from "../../core/errors.ts";
import type { AppEnv } from "../../http/app-env.ts";

/** The account-email routes answer 404 when ACCOUNT_EMAILS is off, as if they did not exist. */
export function requireAccountEmails(c: Context<AppEnv>): void {
  if (!c.env.ACCOUNT_EMAILS) throw new ApiError("not_found", "Account emails are turned off on this service.");
}
