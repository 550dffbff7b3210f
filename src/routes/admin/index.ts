import type { Router } from "../../router.ts";
import { userRole } from "./user-role.ts";
import { userUpdate } from "./user-update.ts";
import { usersList } from "./users-list.ts";

/** `/v1/admin`: user administration (API keys join in the next issue). */
export const adminRouters: Router[] = [usersList, userRole, userUpdate];
