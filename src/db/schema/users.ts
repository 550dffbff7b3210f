import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["user", "admin"]);

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    username: text(),
    name: text(),
    passwordHash: text().notNull(),
    role: userRole().notNull().default("user"),
    isActive: boolean().notNull().default(true),
    isSuperuser: boolean().notNull().default(false),
    /**
     * Bumped by every change of role or active state. Sessions hold the version their
     * access was read at, so an older update can never overwrite a newer one.
     */
    accessVersion: integer().notNull().default(0),
    /** When the user proved they receive mail at `email` (a verification link); null until then. */
    emailVerifiedAt: timestamp({ withTimezone: true }),
    /** The TOTP secret, AES-GCM-encrypted under MFA_ENCRYPTION_KEY (src/credentials/secret-box.ts); null without a second factor. */
    totpSecret: text(),
    /** A secret from `/mfa/totp/setup` not yet confirmed by a code, encrypted the same way. */
    totpPendingSecret: text(),
    /** The last 30-second step a code was accepted for: no code is accepted twice. */
    totpLastStep: bigint({ mode: "number" }),
    /** The WebAuthn user handle of the user's passkeys: random, so it names neither the id nor the email. */
    passkeyUserHandle: text().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Uniqueness ignores letter case: Alice@Example.com and alice@example.com are one account.
    uniqueIndex("users_email_lower_key").on(sql`lower(${table.email})`),
    uniqueIndex("users_username_lower_key").on(sql`lower(${table.username})`),
    // The admin list's order (oldest first, ties by id).
    index("users_created_idx").on(table.createdAt, table.id),
    check("users_email_length", sql`length(${table.email}) <= 320`),
    check("users_username_length", sql`length(${table.username}) <= 64`),
  ],
);

export type User = typeof users.$inferSelect;
