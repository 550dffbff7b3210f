import type { SessionAccess } from "../sessions/session-family.ts";
import type { Scope } from "./scopes.ts";

/** What verifying a key found, as the database said it at `cachedAt`. */
export interface KeyRecord {
  id: string;
  /** The owner the key acts for; null for a service key. */
  userId: string | null;
  scopes: Scope[];
  rateLimitPerMinute: number;
  expiresAt: number | null;
  revoked: boolean;
  ownerActive: boolean;
  /** The owner's role when verified (a service key has no owner: null). */
  ownerAccess: SessionAccess | null;
  /** Set when the presented key is a rotated-out one: it works until then. */
  graceUntil: number | null;
}

const MAX_ENTRIES = 10_000;

/** A verification as cached: the record and the key object's version it was read after. */
export interface CachedKey {
  record: KeyRecord;
  /** The key's RateLimiter `version` when the record was read; undefined if that object was unreachable. */
  version: number | undefined;
}

/**
 * The isolate's cache of key verifications, by key hash: at most MAX_ENTRIES
 * (oldest dropped first) and at most API_KEY_CACHE_TTL seconds old. An entry is only
 * used while the key's own object reports the version it was read at, so a
 * revocation, rotation, renewal or owner change made in any isolate takes effect on
 * the next request everywhere (src/http/authenticate.ts). The isolate that made the
 * change also evicts it here at once.
 */
export class VerificationCache {
  readonly #entries = new Map<string, CachedKey & { cachedAt: number }>();

  get(hash: string, ttlMs: number, now = Date.now()): CachedKey | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (now - entry.cachedAt < ttlMs) return entry;
    this.#entries.delete(hash);
    return undefined;
  }

  set(hash: string, cached: CachedKey, now = Date.now()): void {
    this.#entries.delete(hash);
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(hash, { ...cached, cachedAt: now });
  }

  /** Drops every cached verification of the key `keyId` (current and rotated-out secrets). */
  evictKey(keyId: string): void {
    for (const [hash, entry] of this.#entries) if (entry.record.id === keyId) this.#entries.delete(hash);
  }

  /** Drops every cached verification of keys owned by `userId`. */
  evictOwner(userId: string): void {
    for (const [hash, entry] of this.#entries) if (entry.record.userId === userId) this.#entries.delete(hash);
  }
}
