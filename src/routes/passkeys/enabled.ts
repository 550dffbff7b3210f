import type { Context } from "hono";
import { ApiError } from "../../core/errors.ts";
import type { AppEnv } from "../../http/app-env.ts";

/** The passkey routes answer 404 when PASSKEYS is off, as if they did not exist. */
export function requirePasskeys(c: Context<AppEnv>): void {
  if (!c.env.PASSKEYS) throw new ApiError("not_found", "Passkeys are turned off on this service.");
}
