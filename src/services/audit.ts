import type { Logger } from "../core/logger.ts";

/**
 * Every security event of a request goes through `record`, so there is one place that
 * writes it. Today that is the JSON log line (fields: the actor as `user_id`, a subject
 * as `<kind>_id`, the details); a table of the events, for users and operators to query, is the
 * next writer behind this same interface.
 */
export type AuditActor = { kind: "user" | "api_key" | "admin_secret" | "anonymous" | "system"; id?: string | null };
export interface AuditInput {
  event: string;
  outcome?: "success" | "failure";
  actor?: AuditActor;
  subject?: { kind: string; id: string };
  details?: Record<string, string | number | boolean | null>;
  level?: "info" | "warn";
}
export interface Audit {
  record(input: AuditInput): void;
}
/**
 * @example
 * audit.record({ event: "login_failure", outcome: "failure", level: "warn", actor: { kind: "user", id }, details: { reason } });
 */
export function createAudit(options: { logger: Logger; request: { ip?: string | undefined } }): Audit {
  return {
    record(input) {
      options.logger[input.level ?? "info"](input.event, {
        security_event: true,
        ip: options.request.ip,
        user_id:
          input.actor?.kind === "user" ? input.actor.id : input.subject?.kind === "user" ? input.subject.id : null,
        ...(input.subject && input.subject.kind !== "user" && { [`${input.subject.kind}_id`]: input.subject.id }),
        ...input.details,
      });
    },
  };
}
