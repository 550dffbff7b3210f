/**
 * The shape of a security event, for every layer that has one to report; the one
 * writer of events is src/services/audit.ts, which hands each layer below it an
 * `AuditRecorder` (src/services/index.ts).
 */

/** A detail of an event: names, counts and flags, never a secret. */
export type AuditDetails = Record<string, string | number | boolean | null>;

/** Who did what an event records: a user, a service key, the admin secret, nobody known, or Gatehouse itself. */
export const AUDIT_ACTOR_KINDS = ["user", "api_key", "admin_secret", "anonymous", "system"] as const;

export type AuditActor = { kind: (typeof AUDIT_ACTOR_KINDS)[number]; id?: string | null };

/** One security event. Its row and its log line carry the same fields. */
export interface AuditEvent {
  event: string;
  /** Default `success`; a failure's log line is a warning. */
  outcome?: "success" | "failure";
  /** Who did it; by default the request's principal, else `anonymous`. */
  actor?: AuditActor;
  /** What it was done to, when that is not the actor: a user, a key, a session, a passkey. */
  subject?: { kind: "user" | "api_key" | "session" | "passkey"; id: string };
  /** A field named like a secret (`password`, `*_token`, `key`, `*_code`) is dropped. */
  details?: AuditDetails;
}

/** Where a layer below the services reports an event that is no change of its own (a refusal, a lost email). */
export interface AuditRecorder {
  record(event: AuditEvent): void;
}
