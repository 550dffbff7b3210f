import { anyAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";

import { defineRoute } from "../../routes/define-route.ts";
import { pageBody, pageOf, pageRequest } from "../../routes/schemas.ts";
import { EmployeeListQuery, EmployeeSchema, toEmployeeBody } from "./schemas.ts";
import { employeesOf } from "./service.ts";

export const route = defineRoute({
  method: "get",
  path: "/employees",
  tags: ["Employees"],
  summary: "Employees, filtered by city and country, sorted by a whitelisted field",
  access: anyAccess({ scope: "employees:read" }),
  errors: ["invalid_cursor"],
  request: { query: EmployeeListQuery },
  responses: {
    200: {
      description: "A page of employees",
      content: { "application/json": { schema: pageOf(EmployeeSchema, "EmployeePage") } },
    },
  },
});

export const employeesList = createRouter().openapi(route, async (c) => {
  const query = c.req.valid("query");
  const page = await employeesOf(c).list({
    ...pageRequest(query),
    city: query.city,
    country: query.country,
    sortBy: query.sort_by,
    order: query.order,
  });
  return c.json(pageBody(page, toEmployeeBody), 200);
});
