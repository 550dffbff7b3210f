import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, requireAny, requireRole, requireScope } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toEmployeeBody } from "../../services/employees.ts";
import { EmpIdParams, EmployeeSchema, toEmployeeInput, UpdateEmployeeSchema } from "./schemas.ts";

export const route = createRoute({
  method: "patch",
  path: "/employees/{emp_id}",
  tags: ["Employees"],
  summary: "Change some fields of an employee (admins, or keys with employees:write)",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("employees:write"), requireRole("admin")] as const,
  request: {
    params: EmpIdParams,
    body: { required: true, content: { "application/json": { schema: UpdateEmployeeSchema } } },
  },
  responses: {
    200: { description: "The updated employee", content: { "application/json": { schema: EmployeeSchema } } },
    ...problemResponses("validation_failed", "not_found", "conflict", ...ANY_AUTH_ERRORS),
  },
});

export const employeesUpdate = createRouter().openapi(route, async (c) => {
  const patch = toEmployeeInput(c.req.valid("json"));
  const employee = await c.var.services.employees.update(c.req.valid("param").emp_id, patch);
  return c.json(toEmployeeBody(employee), 200);
});
