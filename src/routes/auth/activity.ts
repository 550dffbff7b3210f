import { userAccess } from "../../http/access.ts";
import { currentUser } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { AuditPageSchema, AuditQuery, auditFilter, toAuditEventBody } from "../audit-schemas.ts";
import { defineRoute } from "../define-route.ts";
import { pageBody, pageRequest } from "../schemas.ts";

export const route = defineRoute({
  method: "get",
  path: "/auth/activity",
  tags: ["Accounts and sessions"],
  summary: "The security events of the caller's account, newest first",
  description:
    "What the account did (logins, password and second-factor changes, keys) and what was done to it " +
    "(failed logins with their address, an administrator's changes). Kept AUDIT_RETENTION_DAYS.",
  access: userAccess({ apiKey: "forbidden" }),
  errors: ["invalid_cursor"],
  request: { query: AuditQuery },
  responses: {
    200: { description: "A page of events", content: { "application/json": { schema: AuditPageSchema } } },
  },
});

export const activity = createRouter().openapi(route, async (c) => {
  const query = c.req.valid("query");
  const page = await c.var.services.auditTrail.activity(currentUser(c).userId, auditFilter(query), pageRequest(query));
  return c.json(pageBody(page, toAuditEventBody), 200);
});
