import { anyAccess } from "../../auth/access.ts";
import { createRouter } from "../../router.ts";
import { defineRoute } from "../define-route.ts";
import { EmpIdParams } from "./schemas.ts";

export const route = defineRoute({
  method: "delete",
  path: "/employees/{emp_id}",
  tags: ["Employees"],
  summary: "Remove an employee (admins, or keys with employees:write)",
  access: anyAccess({ scope: "employees:write", role: "admin" }),
  errors: ["not_found"],
  request: { params: EmpIdParams },
  responses: {
    204: { description: "Removed" },
  },
});

export const employeesDelete = createRouter().openapi(route, async (c) => {
  await c.var.services.employees.delete(c.req.valid("param").emp_id);
  return c.body(null, 204);
});
