import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, requireAny, requireScope } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toEmployeeBody } from "../../services/employees.ts";
import { EmpIdParams, EmployeeSchema } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/employees/{emp_id}",
  tags: ["Employees"],
  summary: "One employee",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("employees:read")] as const,
  request: { params: EmpIdParams },
  responses: {
    200: { description: "The employee", content: { "application/json": { schema: EmployeeSchema } } },
    ...problemResponses("validation_failed", "not_found", ...ANY_AUTH_ERRORS),
  },
});

export const employeesGet = createRouter().openapi(route, async (c) => {
  const employee = await c.var.services.employees.get(c.req.valid("param").emp_id);
  return c.json(toEmployeeBody(employee), 200);
});
