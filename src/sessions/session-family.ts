import { DurableObject } from "cloudflare:workers";
import type { User } from "../db/schema/users.ts";
import { type BucketRequest, Counters, type Decision } from "../rate-limit/counters.ts";
import { type RefreshToken, signRefreshToken, verifyRefreshMac } from "./refresh-token.ts";

/**
 * What a session may do: its user's role, kept current by role changes
 * (src/services/accounts.ts). `version` is the user's `access_version` it was read
 * at, so updates that arrive out of order never replace a newer one with an older.
 */
export interface SessionAccess {
  role: User["role"];
  superuser: boolean;
  version: number;
}

interface FamilyState {
  userId: string;
  access: SessionAccess;
  /** Raw HMAC key of this family's refresh tokens; it never leaves the object. */
  key: ArrayBuffer;
  /** The generation of the one live refresh token. */
  generation: number;
  /** When `generation` was issued, for the predecessor's grace window. */
  rotatedAt: number;
  expiresAt: number;
  revoked: boolean;
  /**
   * When the holder last proved who they are: the login, or a re-authentication
   * (src/services/reauthentication.ts). Families opened before it existed hold none.
   */
  authenticatedAt?: number;
}

/** What the session check answers (see `check`). */
export interface SessionCheck {
  access: SessionAccess | null;
  /** When the holder last proved who they are (0 when unknown); meaningful only while `access` is not null. */
  authenticatedAt: number;
  limit: Decision | null;
}

export type RotateOutcome =
  | { ok: true; userId: string; access: SessionAccess; token: RefreshToken; expiresAt: number; reissued: boolean }
  | { ok: false; reason: "invalid" | "expired" | "revoked" }
  | { ok: false; reason: "reused"; userId: string };

/**
 * One session: a family of refresh tokens, each the successor of the one before.
 * As a Durable Object it runs one call at a time, so rotation is a compare-and-swap
 * that cannot race: of N concurrent refreshes with one token, the first rotates and
 * the rest see the predecessor inside its grace window and get the same successor.
 *
 * Presenting any older token, or the predecessor after the grace window, is reuse:
 * the family is revoked, its current token dies too, and access tokens of the
 * session stop passing `access`. State lives in the object's SQLite storage and
 * is deleted by an alarm once the family has expired.
 */
export class SessionFamily extends DurableObject {
  #key?: Promise<CryptoKey>;
  /** The stored state, read once per object lifetime: this object is its only writer. */
  #cached?: { state: FamilyState | undefined };
  readonly #requests = new Counters(this.ctx.storage.kv);

  /** Starts the family and returns its first refresh token. */
  async open(
    sessionId: string,
    userId: string,
    access: SessionAccess,
    expiresAt: number,
    now = Date.now(),
  ): Promise<RefreshToken> {
    if (this.#state()) throw new Error("session family already exists");
    const key = crypto.getRandomValues(new Uint8Array(32)).buffer;
    this.#save({ userId, access, key, generation: 0, rotatedAt: now, expiresAt, revoked: false, authenticatedAt: now });
    await this.ctx.storage.setAlarm(expiresAt);
    const hmacKey = await this.#hmacKey();
    if (!hmacKey) throw new Error("session family vanished while opening");
    return signRefreshToken(hmacKey, sessionId, 0);
  }

  /**
   * Trades `presented` for its successor. `graceMs` is how long the immediate
   * predecessor keeps returning the current token instead of counting as reuse.
   */
  async rotate(presented: RefreshToken, graceMs: number, now = Date.now()): Promise<RotateOutcome> {
    const key = await this.#genuine(presented);
    if (!key) return { ok: false, reason: "invalid" };
    // Nothing awaits from reading the state to saving it, so no other call interleaves.
    const state = this.#state();
    if (!state || presented.generation > state.generation) return { ok: false, reason: "invalid" };
    if (now >= state.expiresAt) return { ok: false, reason: "expired" };
    if (state.revoked) return { ok: false, reason: "revoked" };

    const isCurrent = presented.generation === state.generation;
    const isGracedPredecessor =
      presented.generation === state.generation - 1 && graceMs > 0 && now - state.rotatedAt <= graceMs;
    if (!isCurrent && !isGracedPredecessor) {
      this.#save({ ...state, revoked: true });
      return { ok: false, reason: "reused", userId: state.userId };
    }
    const successor = isCurrent ? state.generation + 1 : state.generation;
    if (isCurrent) this.#save({ ...state, generation: successor, rotatedAt: now });
    const token = await signRefreshToken(key, presented.sessionId, successor);
    return {
      ok: true,
      userId: state.userId,
      access: state.access,
      token,
      expiresAt: state.expiresAt,
      reissued: isGracedPredecessor,
    };
  }

  /**
   * Ends the family. With `presented`, only if it is a genuine token of this family
   * (any generation), so knowing a session id is not enough to end a session.
   * Returns whether the family was live before the call.
   */
  async revoke(presented?: RefreshToken): Promise<boolean> {
    if (presented && !(await this.#genuine(presented))) return false;
    const state = this.#state();
    if (!state || (presented && presented.generation > state.generation)) return false;
    this.#save({ ...state, revoked: true });
    return !state.revoked;
  }

  /**
   * What access tokens of this session may do now, or null once the session has
   * ended: the check every access-token request makes, which also spares role checks
   * a database query.
   */
  access(now = Date.now()): SessionAccess | null {
    const state = this.#state();
    return state !== undefined && !state.revoked && now < state.expiresAt ? state.access : null;
  }

  /**
   * The check every access-token request makes, in one call: what the session may do
   * (null once it has ended) and, with `limit`, the request counted against the
   * session's own rate limit. A request of an ended session is not counted.
   */
  check(limit: BucketRequest | null, now = Date.now()): SessionCheck {
    const access = this.access(now);
    return {
      access,
      authenticatedAt: this.#state()?.authenticatedAt ?? 0,
      limit: access && limit ? this.#requests.consume([limit], now) : null,
    };
  }

  /** Records that the holder of this live session has just proved who they are again; false once it has ended. */
  reauthenticated(now = Date.now()): boolean {
    const state = this.#state();
    if (!state || this.access(now) === null) return false;
    this.#save({ ...state, authenticatedAt: now });
    return true;
  }

  /** Applies a role change to a live session, unless the session already holds a newer one. */
  setAccess(access: SessionAccess): void {
    const state = this.#state();
    // Families opened before access carried a version hold version 0.
    if (state && access.version > (state.access.version ?? 0)) this.#save({ ...state, access });
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
    this.#cached = undefined;
    this.#key = undefined;
  }

  #state(): FamilyState | undefined {
    this.#cached ??= { state: this.ctx.storage.kv.get<FamilyState>("family") };
    return this.#cached.state;
  }

  #save(state: FamilyState): void {
    this.ctx.storage.kv.put("family", state);
    this.#cached = { state };
  }

  /** The family's key if `presented` carries a valid MAC under it. */
  async #genuine(presented: RefreshToken): Promise<CryptoKey | undefined> {
    const key = await this.#hmacKey();
    return key && (await verifyRefreshMac(key, presented)) ? key : undefined;
  }

  #hmacKey(): Promise<CryptoKey | undefined> {
    const state = this.#state();
    if (!state) return Promise.resolve(undefined);
    this.#key ??= crypto.subtle.importKey("raw", state.key, { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    return this.#key;
  }
}
