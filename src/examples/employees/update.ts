import { anyAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";

import { defineRoute } from "../../routes/define-route.ts";
import { EmpIdParams, EmployeeSchema, toEmployeeBody, toEmployeeInput, UpdateEmployeeSchema } from "./schemas.ts";
import { employeesOf } from "./service.ts";

export const route = defineRoute({
  method: "patch",
  path: "/employees/{emp_id}",
  tags: ["Employees"],
  summary: "Change some fields of an employee (admins, or keys with employees:write)",
  access: anyAccess({ scope: "employees:write", role: "admin" }),
  errors: ["not_found", "conflict"],
  request: {
    params: EmpIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateEmployeeSchema } } },
  },
  responses: {
    200: { description: "The updated employee", content: { "application/json": { schema: EmployeeSchema } } },
  },
});

export const employeesUpdate = createRouter().openapi(route, async (c) => {
  const patch = toEmployeeInput(c.req.valid("json"));
  const employee = await employeesOf(c).update(c.req.valid("param").emp_id, patch);
  return c.json(toEmployeeBody(employee), 200);
});
