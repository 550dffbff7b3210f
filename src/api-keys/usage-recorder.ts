import { eq, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { apiKeys, apiKeyUsage } from "../db/schema/index.ts";
import { WriteBehind } from "../db/write-behind.ts";

export interface UsageEntry {
  keyId: string;
  at: Date;
  method: string;
  path: string;
  status: number;
  ip: string | null;
}

/**
 * The isolate's pending key usage, written together: usage rows and each key's
 * `usage_count` / `last_used_at`, in one SQL request.
 *
 * @example
 * usage.record({ keyId, at: new Date(), method, path, status, ip }, { db, logger, waitUntil });
 */
export const createUsageWriter = () => new WriteBehind<UsageEntry>("api_key_usage_lost", writeUsage);

function writeUsage(db: Database, batch: UsageEntry[]) {
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
  return db.batch([db.insert(apiKeyUsage).values(batch), ...updates]);
}
