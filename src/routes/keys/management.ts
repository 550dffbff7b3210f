import type { Context } from "hono";
import { type Access, adminAccess, userAccess } from "../../http/access.ts";
import type { AppEnv } from "../../http/app-env.ts";
import { currentUser } from "../../http/guards.ts";
import type { KeyOwner } from "../../services/api-keys.ts";

/**
 * The two places keys are managed from, which share their endpoints: `/v1/keys`
 * (a user, on their own keys; an API key gets 403) and `/v1/admin/api-keys` (an
 * admin or the admin secret, on any key).
 */
export interface KeyManagement {
  path: string;
  tags: string[];
  access: Access;
  owner: (c: Context<AppEnv>) => KeyOwner;
}

export const OWN_KEYS: KeyManagement = {
  path: "/keys",
  tags: ["API keys"],
  access: userAccess({ apiKey: "forbidden" }),
  owner: (c) => ({ userId: currentUser(c).userId }),
};

export const ALL_KEYS: KeyManagement = {
  path: "/admin/api-keys",
  tags: ["Admin"],
  access: adminAccess(),
  owner: () => "any",
};
