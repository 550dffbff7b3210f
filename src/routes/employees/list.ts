import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, requireAny, requireScope } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toEmployeeBody } from "../../services/employees.ts";
import { pageOf } from "../schemas.ts";
import { EmployeeListQuery, EmployeeSchema } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/employees",
  tags: ["Employees"],
  summary: "Employees, filtered by city and country, sorted by a whitelisted field",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("employees:read")] as const,
  request: { query: EmployeeListQuery },
  responses: {
    200: {
      description: "A page of employees",
      content: { "application/json": { schema: pageOf(EmployeeSchema, "EmployeePage") } },
    },
    ...problemResponses("validation_failed", ...ANY_AUTH_ERRORS),
  },
});

export const employeesList = createRouter().openapi(route, async (c) => {
  const { sort_by, ...query } = c.req.valid("query");
  const page = await c.var.services.employees.list({ ...query, sortBy: sort_by });
  return c.json({ ...page, items: page.items.map(toEmployeeBody) }, 200);
});
