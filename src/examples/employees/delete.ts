import { anyAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../../routes/define-route.ts";
import { EmpIdParams } from "./schemas.ts";
import { employeesOf } from "./service.ts";

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
  await employeesOf(c).delete(c.req.valid("param").emp_id);
  return c.body(null, 204);
});
