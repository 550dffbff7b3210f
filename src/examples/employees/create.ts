import { anyAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../../routes/define-route.ts";
import { CreateEmployeeSchema, EmployeeSchema, toEmployeeBody, toEmployeeInput } from "./schemas.ts";
import type { EmployeeInput } from "./service.ts";
import { employeesOf } from "./service.ts";

export const route = defineRoute({
  method: "post",
  path: "/employees",
  tags: ["Employees"],
  summary: "Add an employee (admins, or keys with employees:write)",
  access: anyAccess({ scope: "employees:write", role: "admin" }),
  errors: ["conflict"],
  request: { body: { required: true, content: { "application/json": { schema: CreateEmployeeSchema } } } },
  responses: {
    201: { description: "The new employee", content: { "application/json": { schema: EmployeeSchema } } },
  },
});

export const employeesCreate = createRouter().openapi(route, async (c) => {
  // The create schema requires every field, so the input is complete.
  const employee = await employeesOf(c).create(toEmployeeInput(c.req.valid("json")) as EmployeeInput);
  return c.json(toEmployeeBody(employee), 201);
});
