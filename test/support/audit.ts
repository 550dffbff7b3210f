import { sql } from "drizzle-orm";
import type { AuditEvent } from "../../src/core/audit-event.ts";
import type { Bindings } from "../../src/core/env.ts";
import { createLogger } from "../../src/core/logger.ts";
import { createDatabase } from "../../src/db/client.ts";
import { accountLock } from "../../src/rate-limit/account-lock.ts";
import { limiterRpc } from "../../src/rate-limit/limiter-rpc.ts";

/** An audit recorder that keeps what it is given, for a test of a layer below the services. */
export function recordedEvents() {
  const events: AuditEvent[] = [];
  return { events, record: (event: AuditEvent) => void events.push(event) };
}

/** The account lock on `env`'s RateLimiter objects, as src/services/index.ts builds it, with its events kept in `events`. */
export function lockOf(env: Bindings, recorder = recordedEvents()) {
  return accountLock(env, limiterRpc(env, createLogger("error"), recorder), recorder);
}

/**
 * What a credential looks like, whatever test made it: a JWT, an API key, a refresh
 * token, an argon2id hash, a recovery code, the tests' passwords, and any long
 * token-like run (account-email tokens, TOTP secrets). No audit row may match one.
 */
const CREDENTIAL_SHAPES: [string, RegExp][] = [
  ["jwt", /eyJ[\w-]{8,}\.[\w-]{8,}/],
  ["api key", /\bgate_[1-9A-HJ-NP-Za-km-z]{20,}/],
  ["refresh token", /[0-9a-f-]{36}\.\d+\.[\w-]{16,}/],
  ["password hash", /\$argon2/],
  ["recovery code", /\b[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}\b/],
  ["test password", /\bpw-[0-9a-f]{8}-long\b/],
  ["token-like run", /[\w-]{40,}/],
];

/** The credential shapes `text` holds, by name. */
export function credentialShapesIn(text: string): string[] {
  return CREDENTIAL_SHAPES.filter(([, shape]) => shape.test(text)).map(([name]) => name);
}

/** Every audit row of the database at `url` whose text holds a credential's shape, with the shapes it holds. */
export async function auditRowsWithCredentials(url: string) {
  const { rows } = await createDatabase(url, 10_000).execute(
    sql`SELECT to_jsonb(audit_events)::text AS row FROM audit_events`,
  );
  return rows
    .map(({ row }) => ({ row: String(row), shapes: credentialShapesIn(String(row)) }))
    .filter(({ shapes }) => shapes.length > 0);
}
