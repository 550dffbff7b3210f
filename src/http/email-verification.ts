import type { Context } from "hono";
import { ApiError, emailNotVerified } from "../core/errors.ts";
import type { AppEnv } from "./app-env.ts";
import { currentUser } from "./guards.ts";

/**
 * With REQUIRE_EMAIL_VERIFICATION on, refuses the session holder a new credential
 * (a passkey, an API key) until their address is verified: whoever registered an
 * address that is not theirs can then plant nothing that outlives its owner's reset.
 * One SQL request, only while the setting is on.
 */
export async function requireVerifiedEmail(c: Context<AppEnv>): Promise<void> {
  if (!c.env.REQUIRE_EMAIL_VERIFICATION) return;
  const user = await c.var.services.users.findActive(currentUser(c).userId);
  if (!user) throw new ApiError("unauthorized", "The account is not active.");
  if (user.emailVerifiedAt === null) throw emailNotVerified();
}
