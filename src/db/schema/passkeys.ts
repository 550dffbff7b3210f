import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users.ts";

/** A passkey's public key as Web Crypto imports it: EC (P-256), OKP (Ed25519) or RSA. */
export interface PublicKeyJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/**
 * A user's passkeys (WebAuthn credentials). The credential id is unique across all
 * users, so a credential belongs to one account; the public key is kept as a JWK, the
 * form Web Crypto imports.
 */
export const passkeys = pgTable(
  "passkeys",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The authenticator's credential id, base64url. */
    credentialId: text().notNull().unique(),
    publicKey: jsonb().$type<PublicKeyJwk>().notNull(),
    /** The COSE algorithm the key signs with: -7 (ES256), -8 (EdDSA) or -257 (RS256). */
    algorithm: integer().notNull(),
    /** The authenticator's signature counter at the last use; 0 for authenticators that keep none. */
    signCount: bigint({ mode: "number" }).notNull().default(0),
    transports: text().array().notNull().default([]),
    /** The credential may be synced to other devices (the authenticator's BE flag). */
    backupEligible: boolean().notNull(),
    /** The credential is synced now (BS flag, updated at each login). */
    backedUp: boolean().notNull(),
    name: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index("passkeys_user_idx").on(table.userId, table.createdAt)],
);

export const passkeyCeremony = pgEnum("passkey_ceremony", ["registration", "login"]);

/**
 * The challenges of passkey ceremonies: only their SHA-256, 5 minutes, used up by the
 * statement that checks them (so a challenge works once, even in parallel). A
 * registration challenge belongs to the user who asked for it; a login challenge to
 * nobody yet (the passkey names its user).
 */
export const passkeyChallenges = pgTable(
  "passkey_challenges",
  {
    challengeHash: text().primaryKey(),
    ceremony: passkeyCeremony().notNull(),
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index("passkey_challenges_expiry_idx").on(table.expiresAt)],
);

export type Passkey = typeof passkeys.$inferSelect;
