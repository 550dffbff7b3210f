import type { Router } from "../../http/router.ts";
import { adminAudit } from "./audit.ts";
import { userEmailVerify } from "./user-email-verify.ts";
import { userMfaReset } from "./user-mfa-reset.ts";
import { userRole } from "./user-role.ts";
import { userUpdate } from "./user-update.ts";
import { usersList } from "./users-list.ts";

/** `/v1/admin/users`: user administration (`/v1/admin/api-keys` shares the key endpoints, src/routes/keys/); `/v1/admin/audit`. */
export const adminRouters: Router[] = [usersList, userRole, userUpdate, userMfaReset, userEmailVerify, adminAudit];
