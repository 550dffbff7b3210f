import { type SQL, sql } from "drizzle-orm";
import type { accountTokenPurpose } from "../db/schema/index.ts";

export type AccountTokenPurpose = (typeof accountTokenPurpose.enumValues)[number];

/** The one user `userId`, as `issueAccountToken`'s `owners`. */
export const theUser = (userId: string): SQL => sql`SELECT ${userId}::uuid AS id`;

/**
 * The statement that gives each user `owners` selects (a query with an `id` column) a
 * single-use token of `purpose`, stored as its hash and valid for `lifetime`. It
 * replaces the user's older token of that purpose, so a newer email or login step
 * always wins. Returns `user_id` for each token issued.
 *
 * @example
 * await db.execute(issueAccountToken(theUser(user.id), "mfa_login", hash, sql`make_interval(mins => 5)`));
 */
export const issueAccountToken = (owners: SQL, purpose: AccountTokenPurpose, hash: string, lifetime: SQL): SQL => sql`
  INSERT INTO account_tokens (user_id, purpose, token_hash, expires_at)
  SELECT id, ${purpose}::account_token_purpose, ${hash}, now() + ${lifetime} FROM (${owners}) AS owners
  ON CONFLICT (user_id, purpose) DO UPDATE
    SET token_hash = excluded.token_hash, created_at = now(), expires_at = excluded.expires_at, tries = 0
  RETURNING user_id`;
