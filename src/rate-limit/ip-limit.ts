import type { ApiError } from "../core/errors.ts";
import type { Decision } from "./counters.ts";
import { rateLimitHeaders } from "./limiter-rpc.ts";

/**
 * The per-IP limit of one request, applied at most once. Anonymous requests and the
 * credential endpoints apply it before anything else; a request that carries a
 * credential is limited by its principal instead (the session's own limit inside the
 * session check, or the API key's own limit), so its guard either `settle`s it with
 * that decision or, when the credential turns out invalid or the route takes none,
 * `apply`s the IP limit after all.
 */
export class IpLimit {
  #decision: Decision | undefined;
  #settled = false;
  readonly #apply: () => Promise<Decision | undefined>;
  readonly #refuse: (decision: Decision) => ApiError;

  constructor(apply: () => Promise<Decision | undefined>, refuse: (decision: Decision) => ApiError) {
    this.#apply = apply;
    this.#refuse = refuse;
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Counts the request against its IP (once); throws 429 when the IP is over its limit. */
  async apply(): Promise<void> {
    if (this.#settled) return;
    this.#settled = true;
    this.#decision = await this.#apply();
    if (this.#decision && !this.#decision.allowed) throw this.#refuse(this.#decision);
  }

  /** Records that the principal's own limit decided the request (`null`: no limit applies). */
  settle(decision: Decision | null): void {
    this.#settled = true;
    this.#decision = decision ?? undefined;
  }

  /** The `RateLimit-*` headers of whichever limit decided the request. */
  headers(): Record<string, string> {
    return this.#decision ? rateLimitHeaders(this.#decision) : {};
  }
}
