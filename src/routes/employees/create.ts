import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, requireAny, requireRole, requireScope } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { type EmployeeInput, toEmployeeBody } from "../../services/employees.ts";
import { CreateEmployeeSchema, EmployeeSchema, toEmployeeInput } from "./schemas.ts";

export const route = createRoute({
  method: "post",
  path: "/employees",
  tags: ["Employees"],
  summary: "Add an employee (admins, or keys with employees:write)",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("employees:write"), requireRole("admin")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateEmployeeSchema } } } },
  responses: {
    201: { description: "The new employee", content: { "application/json": { schema: EmployeeSchema } } },
    ...problemResponses("validation_failed", "conflict", ...ANY_AUTH_ERRORS),
  },
});

export const employeesCreate = createRouter().openapi(route, async (c) => {
  // The create schema requires every field, so the input is complete.
  const employee = await c.var.services.employees.create(toEmployeeInput(c.req.valid("json")) as EmployeeInput);
  return c.json(toEmployeeBody(employee), 201);
});
