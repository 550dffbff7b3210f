import { anyAccess } from "../../auth/access.ts";
import { createRouter } from "../../router.ts";

import { defineRoute } from "../define-route.ts";
import { pageOf } from "../schemas.ts";
import { EmployeeListQuery, EmployeeSchema, toEmployeeBody } from "./schemas.ts";

export const route = defineRoute({
  method: "get",
  path: "/employees",
  tags: ["Employees"],
  summary: "Employees, filtered by city and country, sorted by a whitelisted field",
  access: anyAccess({ scope: "employees:read" }),
  request: { query: EmployeeListQuery },
  responses: {
    200: {
      description: "A page of employees",
      content: { "application/json": { schema: pageOf(EmployeeSchema, "EmployeePage") } },
    },
  },
});

export const employeesList = createRouter().openapi(route, async (c) => {
  const { sort_by, ...query } = c.req.valid("query");
  const page = await c.var.services.employees.list({ ...query, sortBy: sort_by });
  return c.json({ ...page, items: page.items.map(toEmployeeBody) }, 200);
});
