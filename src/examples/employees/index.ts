import type { Router } from "../../http/router.ts";
import { employeesCreate } from "./create.ts";
import { employeesDelete } from "./delete.ts";
import { employeesGet } from "./get.ts";
import { employeesList } from "./list.ts";
import { employeesUpdate } from "./update.ts";

/** `/v1/employees`: reads for any authenticated caller, writes for admins. */
export const employeeRouters: Router[] = [
  employeesList,
  employeesGet,
  employeesCreate,
  employeesUpdate,
  employeesDelete,
];
