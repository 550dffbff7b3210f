import { anyAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";

import { defineRoute } from "../../routes/define-route.ts";
import { EmpIdParams, EmployeeSchema, toEmployeeBody } from "./schemas.ts";
import { employeesOf } from "./service.ts";

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
  const employee = await employeesOf(c).get(c.req.valid("param").emp_id);
  return c.json(toEmployeeBody(employee), 200);
});
