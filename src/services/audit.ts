import { SQL, sql } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import type { AuditActor, AuditDetails, AuditEvent } from "../core/audit-event.ts";
import type { Logger } from "../core/logger.ts";
import { type Auth, actorOf } from "../credentials/principal.ts";
import type { Database } from "../db/client.ts";
import { auditEvents } from "../db/schema/index.ts";
import { type FlushContext, WriteBehind } from "../db/write-behind.ts";

/**
 * The event of a change: its actor's or subject's id may be a subquery (of the
 * statement it goes in, or of the database), and `when` says whether the change happened.
 */
export type ChangeEvent = Omit<AuditEvent, "actor" | "subject"> & {
  actor?: { kind: AuditActor["kind"]; id?: string | SQL | null };
  subject?: { kind: NonNullable<AuditEvent["subject"]>["kind"]; id: string | SQL };
  /** Evaluated after the change's statements, in its transaction: the event is written only when it holds. */
  when?: SQL;
};

export type AuditRow = typeof auditEvents.$inferInsert;

/** The isolate's queue of audit rows written after the response (src/services/index.ts makes one). */
export type AuditWriter = WriteBehind<AuditRow>;
export const createAuditWriter = (): AuditWriter =>
  new WriteBehind<AuditRow>("audit_events_lost", (db, rows) => db.insert(auditEvents).values(rows));

/** A detail whose name says it holds a secret never reaches a row or a log line, whatever a caller passes. */
const SECRET_NAME = /(^|_)(password|secret|token|key|code|otp|jwt|cookie)s?$/;
const MAX_DETAIL_LENGTH = 200;

/**
 * The details fit to keep: no secret-named field, no long text (a pasted credential).
 *
 * @example
 * sanitised({ method: "password", password: "hunter2" }); // { method: "password" }
 */
export function sanitised(details: AuditDetails | undefined): AuditDetails {
  const kept: AuditDetails = {};
  for (const [name, value] of Object.entries(details ?? {})) {
    if (SECRET_NAME.test(name) || (typeof value === "string" && value.length > MAX_DETAIL_LENGTH)) continue;
    kept[name] = value;
  }
  return kept;
}

/** An address Postgres' `inet` takes: the client's, from CF-Connecting-IP; anything else is kept as null. */
function ipAddress(ip: string | undefined): string | null {
  if (ip === undefined || ip.length > 45) return null;
  if (/^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/.test(ip)) return ip;
  if (!/^[0-9a-fA-F:.]+$/.test(ip) || !ip.includes(":")) return null;
  return URL.canParse(`http://[${ip}]/`) ? ip : null;
}

/** A subject's field in the log line (the names the log had before the audit table). */
const SUBJECT_FIELD: Record<string, string> = {
  api_key: "key_id",
  session: "session_id",
  passkey: "passkey_id",
};

const actorName = (row: AuditRow) => (row.actorId ? `${row.actorKind}:${row.actorId}` : row.actorKind);

/** Where the events of a request come from and go. */
export interface AuditContext {
  logger: Logger;
  /** The isolate's write-behind queue and how it reaches the database. */
  writer: AuditWriter;
  flush: FlushContext;
  client: { ip?: string | undefined; userAgent?: string | undefined; requestId?: string | undefined };
  /** Who the request acts for, once the guards know (undefined before). */
  principal: () => Auth | undefined;
}

/**
 * The one writer of security events (docs/architecture.md, "One audit trail"): each event is one
 * JSON log line and one `audit_events` row, from here only.
 *
 * - `change`: the event of a change that is a database write goes in that write's own
 *   `db.batch`, so there is no change without its event and no event without its change.
 * - `record`: any other event (a refusal, a failed login) is logged now and its row
 *   written after the response, batched with the isolate's others; a lost write is
 *   logged, never an error for the client.
 *
 * @example
 * const [[user]] = await audit.change(db, [db.update(users).set({ role }).where(eq(users.id, id)).returning()],
 *   { event: "role_changed", subject: { kind: "user", id }, details: { role }, when: sql`EXISTS (…)` });
 * audit.record({ event: "login_failure", outcome: "failure", subject: { kind: "user", id }, details: { reason } });
 */
export function createAudit(context: AuditContext) {
  function rowOf(input: AuditEvent): AuditRow {
    const principal = context.principal();
    const actor = input.actor ?? (principal ? actorOf(principal) : { kind: "anonymous" });
    return {
      id: crypto.randomUUID(),
      event: input.event,
      outcome: input.outcome ?? "success",
      actorKind: actor.kind,
      actorId: actor.id ?? null,
      subjectKind: input.subject?.kind ?? null,
      subjectId: input.subject?.id ?? null,
      ip: ipAddress(context.client.ip),
      userAgent: context.client.userAgent?.slice(0, 512) ?? null,
      requestId: context.client.requestId ?? null,
      details: sanitised(input.details),
    };
  }

  /**
   * The log line of a row: the account it concerns as `user_id` (the subject user, else
   * the acting user), who acted as `by` (a user id, `api_key:<id>`, `admin_secret`),
   * another subject as `key_id`, `session_id` or `passkey_id`, then the details.
   */
  function log(row: AuditRow): void {
    const actingUser = row.actorKind === "user" ? row.actorId : null;
    context.logger[row.outcome === "failure" ? "warn" : "info"](row.event, {
      security_event: true,
      ip: context.client.ip,
      user_id: row.subjectKind === "user" ? row.subjectId : actingUser,
      ...(row.actorKind !== "anonymous" && { by: row.actorKind === "user" ? row.actorId : actorName(row) }),
      ...(row.subjectKind &&
        row.subjectKind !== "user" && { [SUBJECT_FIELD[row.subjectKind] ?? "subject_id"]: row.subjectId }),
      ...row.details,
    });
  }

  return {
    record(input: AuditEvent): void {
      // Written later: the row keeps the moment of the event, not of its write.
      const row = { ...rowOf(input), at: new Date() };
      log(row);
      context.writer.record(row, context.flush);
    },

    /**
     * Runs `statements` and the event's row in one `db.batch` (one transaction) and
     * answers the statements' results; the event is logged once it committed, and only
     * when `when` held (evaluated after the statements, so it sees what they did).
     */
    async change<U extends BatchItem<"pg">, T extends Readonly<[U, ...U[]]>>(
      db: Database,
      statements: T,
      input: ChangeEvent,
    ): Promise<BatchResponse<T>> {
      const row = rowOf(input as AuditEvent);
      const insert = db.execute(insertOf(row, input.when));
      const results = (await db.batch([...statements, insert] as unknown as T)) as unknown[];
      const [written] = (results.pop() as { rows: { actor_id: string | null; subject_id: string | null }[] }).rows;
      if (written) log({ ...row, actorId: written.actor_id, subjectId: written.subject_id });
      return results as BatchResponse<T>;
    },

    /**
     * The event of a change written as one SQL statement: `insert` goes in a `WITH` of
     * that statement (its subject may be a subquery of it), and `logged` is called once
     * the statement committed and changed something, with the subject's id it returned.
     *
     * @example
     * const event = audit.within({ event: "email_verified", actor: { kind: "user", id: sql`(SELECT user_id FROM consumed)` } });
     * const { rows } = await db.execute(sql`WITH consumed AS (…), audited AS (${event.insert}) UPDATE users … RETURNING id`);
     * if (rows[0]) event.logged(rows[0].id);
     */
    within(input: ChangeEvent) {
      const row = rowOf(input as AuditEvent);
      const named = (id: unknown, account: string | undefined) =>
        id instanceof SQL ? (account ?? null) : ((id as string | null | undefined) ?? null);
      return {
        insert: insertOf(row, input.when),
        logged: (account?: string) =>
          log({ ...row, actorId: named(row.actorId, account), subjectId: named(row.subjectId, account) }),
      };
    },
  };
}

/** The event's INSERT, writing its row only when `when` holds, answering its actor and subject (maybe subqueries) when it did. */
function insertOf(row: AuditRow, when: SQL | undefined): SQL {
  return sql`INSERT INTO ${auditEvents} (id, event, outcome, actor_kind, actor_id, subject_kind, subject_id, ip, user_agent, request_id, details)
    SELECT ${row.id}::uuid, ${row.event}, ${row.outcome}, ${row.actorKind}, ${row.actorId}::text, ${row.subjectKind}, ${row.subjectId}::text,
      ${row.ip}::inet, ${row.userAgent}, ${row.requestId}, ${JSON.stringify(row.details)}::jsonb
    WHERE ${when ?? sql`true`}
    RETURNING actor_id, subject_id`;
}

export type Audit = ReturnType<typeof createAudit>;
