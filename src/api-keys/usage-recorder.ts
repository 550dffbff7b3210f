import { eq, sql } from "drizzle-orm";
import type { Bindings } from "../core/env.ts";
import type { Logger } from "../core/logger.ts";
import { createDatabase } from "../db/client.ts";
import { errorLogFields } from "../db/errors.ts";
import { apiKeys, apiKeyUsage } from "../db/schema/index.ts";

export interface UsageEntry {
  keyId: string;
  at: Date;
  method: string;
  path: string;
  status: number;
  ip: string | null;
}

/** How long usage waits to be written, so the requests of that moment share one SQL request. */
const FLUSH_DELAY_MS = 250;
const MAX_BATCH = 500;

let pending: UsageEntry[] = [];
let flushing: Promise<void> | undefined;

/**
 * Records one use of a key after the response has gone: entries collect in the
 * isolate for FLUSH_DELAY_MS and are written together, usage rows and each key's
 * `usage_count` / `last_used_at`, in one SQL request. `waitUntil` keeps every
 * contributing request alive until its entry is written; a failed write is logged,
 * never surfaced to a client.
 *
 * @example
 * recordUsage(c.executionCtx, c.env, c.var.logger, { keyId, at: new Date(), … });
 */
export function recordUsage(
  ctx: { waitUntil(promise: Promise<unknown>): void },
  env: Bindings,
  logger: Logger,
  entry: UsageEntry,
): void {
  pending.push(entry);
  flushing ??= new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS))
    .then(() => flush(env, logger))
    .finally(() => {
      flushing = undefined;
    });
  ctx.waitUntil(flushing);
}

async function flush(env: Bindings, logger: Logger): Promise<void> {
  const db = createDatabase(env.DATABASE_URL, env.DATABASE_TIMEOUT_MS);
  while (pending.length > 0) {
    const batch = pending.slice(0, MAX_BATCH);
    pending = pending.slice(MAX_BATCH);
    const perKey = new Map<string, { count: number; last: Date }>();
    for (const entry of batch) {
      const seen = perKey.get(entry.keyId);
      perKey.set(entry.keyId, {
        count: (seen?.count ?? 0) + 1,
        last: seen && seen.last > entry.at ? seen.last : entry.at,
      });
    }
    const updates = [...perKey].map(([keyId, { count, last }]) =>
      db
        .update(apiKeys)
        .set({
          usageCount: sql`${apiKeys.usageCount} + ${count}`,
          lastUsedAt: sql`greatest(${apiKeys.lastUsedAt}, ${last.toISOString()}::timestamptz)`,
        })
        .where(eq(apiKeys.id, keyId)),
    );
    try {
      await db.batch([db.insert(apiKeyUsage).values(batch), ...updates]);
    } catch (error) {
      logger.warn("api_key_usage_lost", { entries: batch.length, ...errorLogFields(error) });
    }
  }
}
