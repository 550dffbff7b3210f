import type { Logger } from "../core/logger.ts";

// Interim: replaced by the audit trail's module (branch `audit`) at its merge.
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
