import { sql } from "drizzle-orm";
import { index, inet, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { AUDIT_ACTOR_KINDS, type AuditDetails } from "../../core/audit-event.ts";

/**
 * The audit trail: one row per security event, written by src/services/audit.ts only.
 * No foreign keys: an event outlives the user, key or session it names. `ip` is the
 * full address (`/32`, `/128`) for 30 days, then its network (`/24`, `/48`); the
 * partial index finds the rows still to truncate without reading the rest.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid().primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    event: text().notNull(),
    outcome: text({ enum: ["success", "failure"] }).notNull(),
    actorKind: text({ enum: AUDIT_ACTOR_KINDS }).notNull(),
    actorId: text(),
    subjectKind: text(),
    subjectId: text(),
    orgId: uuid(),
    ip: inet(),
    userAgent: text(),
    requestId: text(),
    details: jsonb().$type<AuditDetails>().notNull().default({}),
  },
  (table) => [
    index("audit_events_at_idx").on(table.at, table.id),
    index("audit_events_actor_idx").on(table.actorId, table.at, table.id),
    index("audit_events_subject_idx").on(table.subjectId, table.at, table.id),
    index("audit_events_event_idx").on(table.event, table.at, table.id),
    index("audit_events_full_ip_idx").on(table.at).where(sql`masklen(${table.ip}) IN (32, 128)`),
  ],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
