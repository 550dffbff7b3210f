import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./users.ts";

/**
 * API keys. Only the SHA-256 of a key is stored (`key_hash`), plus `start` for
 * display. A rotated key's old hash stays valid until `previous_key_expires_at`.
 * `user_id` is the owner the key acts for; NULL makes it a service key.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    name: text().notNull(),
    keyHash: text().notNull(),
    start: text().notNull(),
    scopes: text().array().notNull(),
    rateLimitPerMinute: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    previousKeyHash: text(),
    previousKeyExpiresAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    usageCount: bigint({ mode: "number" }).notNull().default(0),
    /** Made by an administrator for `user_id` rather than by that user: shown to them as such. */
    issuedByAdmin: boolean().notNull().default(false),
  },
  (table) => [
    uniqueIndex("api_keys_key_hash_key").on(table.keyHash),
    // The key lists' orders: a user's keys, and every key (admin), newest first, ties by id.
    index("api_keys_user_created_idx").on(
      table.userId,
      table.createdAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
    index("api_keys_created_idx").on(table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst()),
    index("api_keys_previous_key_hash_idx").on(table.previousKeyHash).where(sql`${table.previousKeyHash} IS NOT NULL`),
    // One active key per name and owner; service keys (no owner) share one namespace.
    uniqueIndex("api_keys_owner_name_active_key")
      .on(sql`coalesce(${table.userId}, '00000000-0000-0000-0000-000000000000'::uuid)`, table.name)
      .where(sql`${table.revokedAt} IS NULL`),
    check("api_keys_name_length", sql`length(${table.name}) BETWEEN 1 AND 100`),
  ],
);

/** One row per request authenticated by a key, written in batches after the responses. */
export const apiKeyUsage = pgTable(
  "api_key_usage",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    keyId: uuid()
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    at: timestamp({ withTimezone: true }).notNull(),
    method: text().notNull(),
    path: text().notNull(),
    status: smallint().notNull(),
    ip: text(),
  },
  // The usage list's filter and order, ties by id, so a cursor page is one index range scan.
  (table) => [
    index("api_key_usage_key_at_id_idx").on(table.keyId, table.at.desc().nullsFirst(), table.id.desc().nullsFirst()),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
