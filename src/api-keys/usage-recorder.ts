import { eq, sql } from "drizzle-orm";
import type { Logger } from "../core/logger.ts";
import type { Database } from "../db/client.ts";
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

/** Where a flush writes and reports, from the request whose entry started it. */
export interface FlushContext {
  db: () => Database;
  logger: Logger;
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The isolate's pending key usage: entries collect for FLUSH_DELAY_MS and are written
 * together, usage rows and each key's `usage_count` / `last_used_at`, in one SQL
 * request. `waitUntil` keeps every contributing request alive until its entry is
 * written; a failed write is logged, never surfaced to a client. One instance per
 * isolate, made and handed out by src/services/index.ts.
 *
 * @example
 * usageBatcher.record({ keyId, at: new Date(), method, path, status, ip }, { db, logger, waitUntil });
 */
export class UsageBatcher {
  #pending: UsageEntry[] = [];
  #flushing: Promise<void> | undefined;

  /** Records one use of a key, written after the response has gone. */
  record(entry: UsageEntry, context: FlushContext): void {
    this.#pending.push(entry);
    this.#flushing ??= new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS))
      .then(() => this.#flush(context))
      .finally(() => {
        this.#flushing = undefined;
      });
    context.waitUntil(this.#flushing);
  }

  async #flush({ db: database, logger }: FlushContext): Promise<void> {
    const db = database();
    while (this.#pending.length > 0) {
      const batch = this.#pending.slice(0, MAX_BATCH);
      this.#pending = this.#pending.slice(MAX_BATCH);
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
}
