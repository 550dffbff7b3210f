import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, requireAny, requireRole, requireScope } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { EmpIdParams } from "./schemas.ts";

export const route = createRoute({
  method: "delete",
  path: "/employees/{emp_id}",
  tags: ["Employees"],
  summary: "Remove an employee (admins, or keys with employees:write)",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("employees:write"), requireRole("admin")] as const,
  request: { params: EmpIdParams },
  responses: {
    204: { description: "Removed" },
    ...problemResponses("validation_failed", "not_found", ...ANY_AUTH_ERRORS),
  },
});

export const employeesDelete = createRouter().openapi(route, async (c) => {
  await c.var.services.employees.delete(c.req.valid("param").emp_id);
  return c.body(null, 204);
});
