import { anyAccess } from "../../auth/access.ts";
import { createRouter } from "../../router.ts";

import { defineRoute } from "../define-route.ts";
import { EmpIdParams, EmployeeSchema, toEmployeeBody } from "./schemas.ts";

export const route = defineRoute({
  method: "get",
  path: "/employees/{emp_id}",
  tags: ["Employees"],
  summary: "One employee",
  access: anyAccess({ scope: "employees:read" }),
  errors: ["not_found"],
  request: { params: EmpIdParams },
  responses: {
    200: { description: "The employee", content: { "application/json": { schema: EmployeeSchema } } },
  },
});

export const employeesGet = createRouter().openapi(route, async (c) => {
  const employee = await c.var.services.employees.get(c.req.valid("param").emp_id);
  return c.json(toEmployeeBody(employee), 200);
});
