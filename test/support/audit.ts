import type { AuditEvent } from "../../src/core/audit-event.ts";
import type { Bindings } from "../../src/core/env.ts";
import { createLogger } from "../../src/core/logger.ts";
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
