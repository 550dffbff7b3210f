import { and, eq, gte, inArray, lte, or, type SQL, sql } from "drizzle-orm";
import type { AuditActor } from "../core/audit-event.ts";
import type { Database } from "../db/client.ts";
import { type AuditEventRow, auditEvents } from "../db/schema/index.ts";
import { type ListOrder, type Page, type PageRequest, pageOfTable, sortKey } from "./pagination.ts";

/** Newest first, ties by id: the order of every `audit_events` index. */
const AUDIT_ORDER: ListOrder = {
  tag: "audit",
  direction: "desc",
  keys: [sortKey(auditEvents.at, "timestamptz"), sortKey(auditEvents.id, "uuid")],
};

/** How long an event keeps its client's full address; then only its network (/24, /48) is kept. */
export const FULL_IP_DAYS = 30;

/** What a reader of the trail narrows it to; every field optional, all of them together. */
export interface AuditFilter {
  events?: string[] | undefined;
  actorKind?: AuditActor["kind"] | undefined;
  actorId?: string | undefined;
  subjectId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

const matching = (filter: AuditFilter): SQL | undefined =>
  and(
    filter.events === undefined ? undefined : inArray(auditEvents.event, filter.events),
    filter.actorKind === undefined ? undefined : eq(auditEvents.actorKind, filter.actorKind),
    filter.actorId === undefined ? undefined : eq(auditEvents.actorId, filter.actorId),
    filter.subjectId === undefined ? undefined : eq(auditEvents.subjectId, filter.subjectId),
    filter.since === undefined ? undefined : gte(auditEvents.at, filter.since),
    filter.until === undefined ? undefined : lte(auditEvents.at, filter.until),
  );

/**
 * Reading and ageing the audit trail that src/services/audit.ts writes: a user's own
 * events, the whole trail for an administrator (each one SQL request, keyset-paged
 * newest first), and the retention job of src/scheduled.ts.
 *
 * @example
 * const page = await auditTrail.activity(userId, { events: ["login_failure"] }, { limit: 20, offset: 0 });
 */
export function createAuditTrail({ db }: { db: () => Database }) {
  return {
    /** The events of `userId`'s account: what they did, and what was done to it (a failed login, a role change). */
    activity(userId: string, filter: AuditFilter, request: PageRequest): Promise<Page<AuditEventRow>> {
      const mine = or(
        and(eq(auditEvents.actorKind, "user"), eq(auditEvents.actorId, userId)),
        and(eq(auditEvents.subjectKind, "user"), eq(auditEvents.subjectId, userId)),
      );
      return pageOfTable(db(), auditEvents, and(mine, matching(filter)), AUDIT_ORDER, request);
    },

    /** Every event matching `filter`, for an administrator. */
    search(filter: AuditFilter, request: PageRequest): Promise<Page<AuditEventRow>> {
      return pageOfTable(db(), auditEvents, matching(filter), AUDIT_ORDER, request);
    },

    /**
     * Deletes the events older than `retentionDays` and cuts the addresses of those
     * older than FULL_IP_DAYS to their network, in one transaction; idempotent, so a
     * retried or doubled run does no harm. Answers how many rows each step touched.
     */
    async expire(retentionDays: number): Promise<{ deleted: number; truncated: number }> {
      const cutoff = sql`now() - make_interval(days => ${retentionDays})`;
      // The two sets do not overlap: one statement must not both delete and update a row.
      const { rows } = await db().execute<{ deleted: number; truncated: number }>(sql`
        WITH deleted AS (
          DELETE FROM ${auditEvents} WHERE at < ${cutoff} RETURNING 1
        ), truncated AS (
          UPDATE ${auditEvents} SET ip = network(set_masklen(ip, CASE WHEN family(ip) = 4 THEN 24 ELSE 48 END))
          WHERE masklen(ip) IN (32, 128) AND at < now() - make_interval(days => ${FULL_IP_DAYS}) AND at >= ${cutoff}
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM deleted)::int AS deleted, (SELECT count(*) FROM truncated)::int AS truncated`);
      return { deleted: Number(rows[0]?.deleted ?? 0), truncated: Number(rows[0]?.truncated ?? 0) };
    },
  };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
