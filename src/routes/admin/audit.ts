import { adminAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { AdminAuditQuery, AuditPageSchema, auditFilter, toAuditEventBody } from "../audit-schemas.ts";
import { defineRoute } from "../define-route.ts";
import { pageBody, pageRequest } from "../schemas.ts";

export const route = defineRoute({
  method: "get",
  path: "/admin/audit",
  tags: ["Admin"],
  summary: "The audit trail: every security event, newest first",
  description: "Filters by event, actor, subject and time combine; pages by keyset cursor. Kept AUDIT_RETENTION_DAYS.",
  access: adminAccess(),
  errors: ["invalid_cursor"],
  request: { query: AdminAuditQuery },
  responses: {
    200: { description: "A page of events", content: { "application/json": { schema: AuditPageSchema } } },
  },
});

export const adminAudit = createRouter().openapi(route, async (c) => {
  const query = c.req.valid("query");
  const page = await c.var.services.auditTrail.search(auditFilter(query), pageRequest(query));
  return c.json(pageBody(page, toAuditEventBody), 200);
});
