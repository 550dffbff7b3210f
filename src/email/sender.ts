import type { AuditRecorder } from "../core/audit-event.ts";
import type { Logger } from "../core/logger.ts";

export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where account emails go. */
export interface EmailSender {
  /**
   * Hands `email` over after the response, so a slow or failing mail service never
   * delays or fails the request; a failure is recorded as a security event.
   */
  sendLater(email: Email, event: { purpose: string; userId: string }): void;
}

/**
 * The sender on Cloudflare Email Service's `send_email` binding (`EMAIL`), from
 * `EMAIL_FROM`. `wrangler dev` and the tests simulate the binding (the message is
 * stored and logged, never sent); with `printText` (development only, as the text
 * carries a live token) the text is also logged, so the developer clicks the link there.
 *
 * @example
 * const sender = cloudflareEmailSender(c.env.EMAIL, c.env.EMAIL_FROM, c.executionCtx, { logger, audit, printText: false });
 * sender.sendLater({ to, subject, text, html }, { purpose: "password_reset", userId });
 */
export function cloudflareEmailSender(
  binding: SendEmail | undefined,
  from: string,
  ctx: { waitUntil(promise: Promise<unknown>): void },
  { logger, audit, printText }: { logger: Logger; audit: AuditRecorder; printText: boolean },
): EmailSender {
  return {
    sendLater(email, { purpose, userId }) {
      const sending = (async () => {
        if (!binding) throw new Error("no EMAIL binding");
        await binding.send({ from, ...email });
        // Development only: the simulated binding prints file paths, this prints the link itself.
        if (printText) logger.info("email_simulated", { purpose, to: email.to, text: email.text });
      })().catch((error: unknown) => {
        audit.record({
          event: "email_send_failed",
          outcome: "failure",
          actor: { kind: "system" },
          subject: { kind: "user", id: userId },
          details: { purpose, error: error instanceof Error ? error.message.slice(0, 200) : "unknown" },
        });
      });
      ctx.waitUntil(sending);
    },
  };
}
