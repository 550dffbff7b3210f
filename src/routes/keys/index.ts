import type { Router } from "../../http/router.ts";
import { keyCreate } from "./create.ts";
import { keyGet } from "./get.ts";
import { keyList } from "./list.ts";
import { ALL_KEYS, OWN_KEYS } from "./management.ts";
import { keyRenew } from "./renew.ts";
import { keyRevoke } from "./revoke.ts";
import { keyRotate } from "./rotate.ts";
import { keyUsage } from "./usage.ts";

/** `/v1/keys`: a user's own keys. */
export const keyRouters: Router[] = [keyCreate, keyList, keyGet, keyRevoke, keyRenew, keyRotate, keyUsage].map(
  (endpoint) => endpoint(OWN_KEYS),
);

/** `/v1/admin/api-keys`: every key, for admins and automation. */
export const adminKeyRouters: Router[] = [keyCreate, keyList, keyRevoke, keyRenew, keyUsage].map((endpoint) =>
  endpoint(ALL_KEYS),
);
