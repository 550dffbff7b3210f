import { and, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import { generateApiKey, parseApiKey } from "../api-keys/key-format.ts";
import { DEFAULT_SCOPES, type Scope } from "../api-keys/scopes.ts";
import type { KeyRecord, VerificationCache } from "../api-keys/verification-cache.ts";
import type { Bindings } from "../core/env.ts";
import { ApiError } from "../core/errors.ts";
import type { Database } from "../db/client.ts";
import { postgresErrorCode } from "../db/errors.ts";
import { type ApiKey, apiKeys, apiKeyUsage, users } from "../db/schema/index.ts";
import type { Decision } from "../rate-limit/counters.ts";
import type { LimiterRpc } from "../rate-limit/limiter-rpc.ts";
import type { Audit } from "./audit.ts";
import { type ListOrder, type Page, type PageRequest, pageOfTable, planPage, sortKey } from "./pagination.ts";
import type { Revocation } from "./revocation.ts";

export interface NewApiKey {
  /** The owner the key acts for; null makes a service key. */
  userId: string | null;
  name: string;
  scopes?: Scope[];
  expiresInDays?: number;
  neverExpires?: boolean;
  rateLimitPerMinute?: number;
  /** Made by an administrator on the owner's behalf. */
  issuedByAdmin?: boolean;
  /** A user's own key: held to API_KEY_USER_MAX_RATE_LIMIT_PER_MINUTE and API_KEY_USER_MAX_KEYS. */
  selfService?: boolean;
}

/** Expiry: a number of days from now, never, or (neither given) API_KEY_DEFAULT_TTL_DAYS. */
export interface Expiry {
  expiresInDays?: number;
  neverExpires?: boolean;
}

export interface UsagePage extends Page<{ at: Date; method: string; path: string; status: number; ip: string | null }> {
  totalRequests: number;
  lastUsedAt: Date | null;
}

/** Newest first, ties by id: the order of `api_keys_user_created_idx` (and of `api_keys_created_idx` for all keys). */
const KEYS_ORDER: ListOrder = {
  tag: "keys",
  direction: "desc",
  keys: [sortKey(apiKeys.createdAt, "timestamptz"), sortKey(apiKeys.id, "uuid")],
};

/** Newest first, ties by id: the order of `api_key_usage_key_at_idx`. */
const USAGE_ORDER: ListOrder = {
  tag: "usage",
  direction: "desc",
  keys: [sortKey(apiKeyUsage.at, "timestamptz"), sortKey(apiKeyUsage.id, "bigint")],
};

const DAY_MS = 86_400_000;

/**
 * Which keys a caller may touch: its own (`/v1/keys`), or any (`/v1/admin/api-keys`).
 * Another user's key is simply not found.
 */
export type KeyOwner = { userId: string } | "any";

/** The settings keys are made and verified by. */
export type ApiKeySettings = Pick<
  Bindings,
  | "API_KEY_PREFIX"
  | "API_KEY_DEFAULT_TTL_DAYS"
  | "API_KEY_RATE_LIMIT_PER_MINUTE"
  | "API_KEY_USER_MAX_RATE_LIMIT_PER_MINUTE"
  | "API_KEY_USER_MAX_KEYS"
  | "API_KEY_CACHE_TTL"
  | "RATE_LIMIT_WINDOW_SECONDS"
>;

/** API keys: every method is one SQL request (verification: none when cached). */
export function createApiKeyService({
  settings: env,
  db,
  limiter,
  verificationCache,
  revocation,
  audit,
}: {
  settings: ApiKeySettings;
  db: () => Database;
  limiter: LimiterRpc;
  /** The isolate's cache of verifications (src/services/index.ts keeps the one instance). */
  verificationCache: VerificationCache;
  revocation: Revocation;
  audit: Audit;
}) {
  const owned = (id: string, owner: KeyOwner): SQL | undefined =>
    owner === "any" ? eq(apiKeys.id, id) : and(eq(apiKeys.id, id), eq(apiKeys.userId, owner.userId));
  const notFound = () => new ApiError("not_found", "No API key with this id.");
  /** For a key event's `when`: the key `id` exists, and after the change matches `where`. */
  const keyIs = (id: string, where?: SQL) =>
    sql`EXISTS (SELECT 1 FROM ${apiKeys} WHERE ${and(eq(apiKeys.id, id), where)})`;
  const expiryOf = ({ expiresInDays, neverExpires }: Expiry): Date | null =>
    neverExpires ? null : new Date(Date.now() + (expiresInDays ?? env.API_KEY_DEFAULT_TTL_DAYS) * DAY_MS);

  /**
   * Limits by principal are only limits if a user cannot raise them: a user's own key gets
   * at most API_KEY_USER_MAX_RATE_LIMIT_PER_MINUTE (422), and a user holds at most
   * API_KEY_USER_MAX_KEYS live keys of their own (409). The count is read before the
   * insert, so parallel creates can pass it together (each still pays the session's limit).
   */
  async function refuseOverLimits(userId: string, rateLimitPerMinute: number | undefined) {
    const maxRate = env.API_KEY_USER_MAX_RATE_LIMIT_PER_MINUTE;
    if (rateLimitPerMinute !== undefined && rateLimitPerMinute > maxRate) {
      throw new ApiError("validation_failed", "The request does not match the schema.", {
        errors: [{ path: "rate_limit_per_minute", message: `At most ${maxRate} for a key of your own; ask an admin.` }],
      });
    }
    const [live] = await db()
      .select({ count: sql<number>`count(*)`.mapWith(Number) })
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.userId, userId),
          eq(apiKeys.issuedByAdmin, false),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
        ),
      );
    if ((live?.count ?? 0) >= env.API_KEY_USER_MAX_KEYS) {
      throw new ApiError(
        "conflict",
        `You hold ${env.API_KEY_USER_MAX_KEYS} live keys, the most allowed; revoke one first.`,
      );
    }
  }

  return {
    /** A new key; the plaintext `key` exists only in this return value. 409 `conflict` on a taken name. */
    async create(input: NewApiKey): Promise<{ row: ApiKey; key: string }> {
      if (input.selfService && input.userId !== null) await refuseOverLimits(input.userId, input.rateLimitPerMinute);
      const { key, hash, start } = await generateApiKey(env.API_KEY_PREFIX);
      const id = crypto.randomUUID();
      try {
        const insert = db()
          .insert(apiKeys)
          .values({
            id,
            userId: input.userId,
            name: input.name,
            keyHash: hash,
            start,
            scopes: input.scopes ?? [...DEFAULT_SCOPES],
            rateLimitPerMinute: input.rateLimitPerMinute ?? env.API_KEY_RATE_LIMIT_PER_MINUTE,
            expiresAt: expiryOf(input),
            issuedByAdmin: input.issuedByAdmin ?? false,
          })
          .onConflictDoNothing()
          .returning();
        const [[row]] = await audit.change(db(), [insert], {
          event: "api_key_created",
          subject: { kind: "api_key", id },
          details: { user_id: input.userId, on_behalf_of_user: input.issuedByAdmin ?? false },
          when: keyIs(id),
        });
        if (!row) throw new ApiError("conflict", "An active API key with this name already exists.");
        return { row, key };
      } catch (error) {
        if (postgresErrorCode(error) === "23503") throw new ApiError("not_found", "No user with this id.");
        throw error;
      }
    },

    /** Keys newest first: one SQL request, with a capped count only if asked. */
    list(owner: KeyOwner, request: PageRequest): Promise<Page<ApiKey>> {
      const where = owner === "any" ? undefined : eq(apiKeys.userId, owner.userId);
      return pageOfTable(db(), apiKeys, where, KEYS_ORDER, request);
    },

    async get(id: string, owner: KeyOwner): Promise<ApiKey> {
      const [row] = await db().select().from(apiKeys).where(owned(id, owner));
      if (!row) throw notFound();
      return row;
    },

    /** Revokes a key (idempotent); every isolate stops accepting it at its next request (src/services/revocation.ts). */
    async revoke(id: string, owner: KeyOwner): Promise<ApiKey> {
      const [[row]] = await audit.change(
        db(),
        [
          db()
            .update(apiKeys)
            .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
            .where(owned(id, owner))
            .returning(),
        ],
        {
          event: "api_key_revoked",
          subject: { kind: "api_key", id },
          when: keyIs(id, owned(id, owner)),
        },
      );
      if (!row) throw notFound();
      await revocation.keyChanged(id);
      return row;
    },

    /** A new expiry for an unrevoked key; an expired one works again. */
    async renew(id: string, owner: KeyOwner, expiry: Expiry): Promise<ApiKey> {
      const live = and(owned(id, owner), isNull(apiKeys.revokedAt));
      const [[row]] = await audit.change(
        db(),
        [
          db()
            .update(apiKeys)
            .set({ expiresAt: expiryOf(expiry) })
            .where(live)
            .returning(),
        ],
        { event: "api_key_renewed", subject: { kind: "api_key", id }, when: keyIs(id, live) },
      );
      if (!row) await this.refuseChange(id, owner);
      await revocation.keyChanged(id);
      return row as ApiKey;
    },

    /**
     * A new secret for the key; the old one keeps working for `graceSeconds` (a
     * rotation during an earlier grace ends that grace at once).
     */
    async rotate(id: string, owner: KeyOwner, graceSeconds: number): Promise<{ row: ApiKey; key: string }> {
      const { key, hash, start } = await generateApiKey(env.API_KEY_PREFIX);
      const [[row]] = await audit.change(
        db(),
        [
          db()
            .update(apiKeys)
            .set({
              keyHash: hash,
              start,
              previousKeyHash: graceSeconds > 0 ? sql`${apiKeys.keyHash}` : null,
              previousKeyExpiresAt: graceSeconds > 0 ? sql`now() + make_interval(secs => ${graceSeconds})` : null,
            })
            .where(and(owned(id, owner), isNull(apiKeys.revokedAt)))
            .returning(),
        ],
        {
          event: "api_key_rotated",
          subject: { kind: "api_key", id },
          details: { grace_seconds: graceSeconds },
          when: keyIs(id, sql`${apiKeys.keyHash} = ${hash}`),
        },
      );
      if (!row) await this.refuseChange(id, owner);
      await revocation.keyChanged(id);
      return { row: row as ApiKey, key };
    },

    /** 404 for a key the caller cannot see, else 409: it exists but is revoked. */
    async refuseChange(id: string, owner: KeyOwner): Promise<never> {
      await this.get(id, owner);
      throw new ApiError("conflict", "The API key is revoked; create a new one.");
    },

    /** The key's totals and a page of its usage rows, newest first, in one SQL request. */
    async usage(id: string, owner: KeyOwner, request: PageRequest): Promise<UsagePage> {
      const page = planPage(USAGE_ORDER, request);
      const [[key], rows] = await db().batch([
        db().select().from(apiKeys).where(owned(id, owner)),
        db()
          .select({
            at: apiKeyUsage.at,
            method: apiKeyUsage.method,
            path: apiKeyUsage.path,
            status: apiKeyUsage.status,
            ip: apiKeyUsage.ip,
            ...page.keyColumns,
          })
          .from(apiKeyUsage)
          .innerJoin(apiKeys, eq(apiKeys.id, apiKeyUsage.keyId))
          .where(and(eq(apiKeyUsage.keyId, id), owned(id, owner), page.where))
          .orderBy(...page.orderBy)
          .offset(page.offset)
          .limit(page.fetch),
      ]);
      if (!key) throw notFound();
      return { totalRequests: key.usageCount, lastUsedAt: key.lastUsedAt, ...page.finish(rows) };
    },

    /**
     * Verifies an API key and counts the request against the key's own limit: one call
     * to the key's RateLimiter object, plus one SQL request unless this isolate holds
     * a verification the object still vouches for (its `version` unchanged since).
     * Malformed: `invalid_api_key` before any I/O; revoked: `api_key_revoked`;
     * expired: `api_key_expired`; owner inactive: `unauthorized`. The limit's decision
     * comes back for the caller to enforce; undefined if the object was unreachable
     * (fail open, and the cache falls back to API_KEY_CACHE_TTL alone).
     */
    async verify(raw: string): Promise<{ record: KeyRecord; limit: Decision | undefined }> {
      const parsed = await parseApiKey(raw, env.API_KEY_PREFIX);
      if (!parsed) throw invalidKey();
      const ttlMs = env.API_KEY_CACHE_TTL * 1000;
      const cached = ttlMs > 0 ? verificationCache.get(parsed.hash, ttlMs) : undefined;
      let record = cached?.record ?? (await lookUpOrRefuse(db(), parsed.hash));
      const bucket = {
        name: "api_key",
        limit: record.rateLimitPerMinute,
        periodMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000,
      };
      const limit = await limiter.call(`key:${record.id}`, "open", (object) => object.consume([bucket]));
      // A record read before an invalidation the object has since counted is stale; one
      // read after this call cannot be (invalidations write the database first).
      const stale = cached ? cached.version !== limit?.version : (limit?.version ?? 0) > 0;
      if (stale) record = await lookUpOrRefuse(db(), parsed.hash);
      if (ttlMs > 0) verificationCache.set(parsed.hash, { record, version: limit?.version });
      refuseUnusable(record);
      return { record, limit };
    },
  };
}

const invalidKey = () => new ApiError("invalid_api_key", "The API key is not valid.");

/** The key with this hash, or `invalid_api_key`. */
async function lookUpOrRefuse(db: Database, hash: string): Promise<KeyRecord> {
  const record = await lookUp(db, hash);
  if (!record) throw invalidKey();
  return record;
}

/** Refuses a key that exists but may not be used now. */
function refuseUnusable(record: KeyRecord, now = Date.now()): void {
  if (record.revoked) throw new ApiError("api_key_revoked", "The API key has been revoked.");
  if (record.expiresAt !== null && record.expiresAt <= now) {
    throw new ApiError("api_key_expired", "The API key has expired; renew it or create a new one.");
  }
  if (record.graceUntil !== null && record.graceUntil <= now) throw invalidKey();
  if (!record.ownerActive) throw new ApiError("unauthorized", "The API key's owner is not active.");
}

async function lookUp(db: Database, hash: string): Promise<KeyRecord | undefined> {
  const [row] = await db
    .select({
      id: apiKeys.id,
      userId: apiKeys.userId,
      scopes: apiKeys.scopes,
      rateLimitPerMinute: apiKeys.rateLimitPerMinute,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      isCurrent: sql<boolean>`${apiKeys.keyHash} = ${hash}`,
      previousKeyExpiresAt: apiKeys.previousKeyExpiresAt,
      ownerActive: users.isActive,
      ownerRole: users.role,
      ownerSuperuser: users.isSuperuser,
      ownerAccessVersion: users.accessVersion,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .where(
      or(
        eq(apiKeys.keyHash, hash),
        and(eq(apiKeys.previousKeyHash, hash), gt(apiKeys.previousKeyExpiresAt, sql`now()`)),
      ),
    )
    .limit(1);
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.userId,
    scopes: row.scopes as Scope[],
    rateLimitPerMinute: row.rateLimitPerMinute,
    expiresAt: row.expiresAt?.getTime() ?? null,
    revoked: row.revokedAt !== null,
    ownerActive: row.userId === null || row.ownerActive === true,
    ownerAccess:
      row.ownerRole === null
        ? null
        : { role: row.ownerRole, superuser: row.ownerSuperuser === true, version: row.ownerAccessVersion ?? 0 },
    graceUntil: row.isCurrent ? null : (row.previousKeyExpiresAt?.getTime() ?? 0),
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
