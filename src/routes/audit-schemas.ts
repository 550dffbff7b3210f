import { z } from "@hono/zod-openapi";
import { AUDIT_ACTOR_KINDS } from "../core/audit-event.ts";
import type { AuditEventRow } from "../db/schema/index.ts";
import type { AuditFilter } from "../services/audit-trail.ts";
import { pageOf, pageQuery } from "./schemas.ts";

/* The audit trail as both of its readers see it: `GET /v1/auth/activity` and `GET /v1/admin/audit`. */

/** 1 to 20 event names, comma-separated: one pattern, so the document says exactly what passes. */
const EVENT_NAMES = /^[a-z][a-z0-9_]{0,63}(,[a-z][a-z0-9_]{0,63}){0,19}$/;

/** The filters both lists take; `since` after `until` is a 422 like any other bad value. */
export const AuditQuery = pageQuery(50)
  .extend({
    event: z
      .string()
      .max(1_000)
      .regex(EVENT_NAMES, "1 to 20 event names, comma-separated, e.g. login_failure,login_success")
      .transform((value) => value.split(","))
      .optional()
      .openapi({ description: "Only these events, comma-separated (e.g. `login_failure,login_success`)" }),
    since: z.iso.datetime({ offset: true }).optional().openapi({ description: "Events at or after this time" }),
    until: z.iso.datetime({ offset: true }).optional().openapi({ description: "Events at or before this time" }),
  })
  .refine((query) => !query.since || !query.until || Date.parse(query.since) <= Date.parse(query.until), {
    message: "`since` must not be after `until`",
    path: ["since"],
  });

/** The administrator's list also filters by who acted and what it was done to. */
export const AdminAuditQuery = AuditQuery.safeExtend({
  actor_kind: z.enum(AUDIT_ACTOR_KINDS).optional().openapi({ description: "Only events by this kind of actor" }),
  actor_id: z.uuid().optional().openapi({ description: "Only events by this user or key" }),
  subject_id: z.uuid().optional().openapi({ description: "Only events done to this user, key, session or passkey" }),
});

export const AuditEventSchema = z
  .object({
    id: z.uuid(),
    at: z.iso.datetime(),
    event: z.string().openapi({ example: "login_failure" }),
    outcome: z.enum(["success", "failure"]),
    actor: z.object({
      kind: z.enum(AUDIT_ACTOR_KINDS),
      id: z
        .string()
        .nullable()
        .openapi({ description: "The user's or key's id; null for the admin secret, nobody known or Gatehouse" }),
    }),
    subject: z
      .object({ kind: z.string().openapi({ example: "user" }), id: z.string() })
      .nullable()
      .openapi({ description: "What the event was done to, when not the actor" }),
    org_id: z.uuid().nullable(),
    ip: z
      .string()
      .nullable()
      .openapi({ description: "The client's address; after 30 days only its network (`203.0.113.0/24`, a /48)" }),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  })
  .openapi("AuditEvent");

export const AuditPageSchema = pageOf(AuditEventSchema, "AuditEventPage");

export function toAuditEventBody(row: AuditEventRow): z.input<typeof AuditEventSchema> {
  return {
    id: row.id,
    at: row.at.toISOString(),
    event: row.event,
    outcome: row.outcome,
    actor: { kind: row.actorKind, id: row.actorId },
    subject: row.subjectKind && row.subjectId ? { kind: row.subjectKind, id: row.subjectId } : null,
    org_id: row.orgId,
    ip: row.ip,
    user_agent: row.userAgent,
    request_id: row.requestId,
    details: row.details,
  };
}

/** The filters of a validated query, as src/services/audit-trail.ts takes them. */
export function auditFilter(
  query: z.output<typeof AuditQuery> & Partial<z.output<typeof AdminAuditQuery>>,
): AuditFilter {
  return {
    events: query.event,
    actorKind: query.actor_kind,
    actorId: query.actor_id,
    subjectId: query.subject_id,
    since: query.since === undefined ? undefined : new Date(query.since),
    until: query.until === undefined ? undefined : new Date(query.until),
  };
}
