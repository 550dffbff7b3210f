import { integer, pgEnum, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { users } from "./users.ts";

export const accountTokenPurpose = pgEnum("account_token_purpose", [
  "password_reset",
  "email_verification",
  // The second step of a login with a second factor (`mfa_token`).
  "mfa_login",
]);

/**
 * The single-use tokens account emails carry, and the `mfa_token` between a login's
 * password and its second factor. Only the SHA-256 of a token is kept; a
 * user has at most one per purpose, so a newer email replaces the older token, and
 * using a token deletes its row in the same statement that acts on it.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: accountTokenPurpose().notNull(),
    tokenHash: text().notNull().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Codes tried with an `mfa_token`, each counted before it is checked (src/services/mfa.ts). */
    tries: integer().notNull().default(0),
  },
  (table) => [unique("account_tokens_user_purpose_key").on(table.userId, table.purpose)],
);
