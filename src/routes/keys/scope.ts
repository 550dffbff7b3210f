import type { Context, MiddlewareHandler } from "hono";
import { ADMIN_SECURITY, currentUser, requireAdmin, requireUser, USER_SECURITY } from "../../auth/guards.ts";
import type { AppEnv } from "../../env.ts";
import type { KeyOwner } from "../../services/api-keys.ts";

/**
 * The two places keys are managed from, which share their endpoints: `/v1/keys`
 * (a user, on their own keys; an API key gets 403) and `/v1/admin/api-keys` (an
 * admin or the admin secret, on any key).
 */
export interface KeyScope {
  path: string;
  tags: string[];
  security: Record<string, string[]>[];
  guard: () => MiddlewareHandler<AppEnv>;
  owner: (c: Context<AppEnv>) => KeyOwner;
}

export const OWN_KEYS: KeyScope = {
  path: "/keys",
  tags: ["API keys"],
  security: USER_SECURITY,
  guard: () => requireUser({ apiKey: "forbidden" }),
  owner: (c) => ({ userId: currentUser(c).userId }),
};

export const ALL_KEYS: KeyScope = {
  path: "/admin/api-keys",
  tags: ["Admin"],
  security: ADMIN_SECURITY,
  guard: requireAdmin,
  owner: () => "any",
};
