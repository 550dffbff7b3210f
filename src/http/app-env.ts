import type { Bindings } from "../core/env.ts";
import type { Logger } from "../core/logger.ts";
import type { Auth } from "../credentials/principal.ts";
import type { IpLimit } from "../rate-limit/ip-limit.ts";
import type { Services } from "../services/index.ts";

/**
 * The Hono environment of every handler and middleware: the validated bindings
 * (src/core/env.ts, which knows nothing of what follows) and the request's variables.
 * No untyped `c.get`.
 */
export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    logger: Logger;
    /**
     * The client address, from `CF-Connecting-IP` only: Cloudflare's edge sets it, while
     * `X-Forwarded-For` is whatever the client wrote. Undefined off Cloudflare (local
     * tools). Set once by the request logger (src/http/middleware/request-logger.ts).
     */
    ip: string | undefined;
    /** Who the request acts for, set by the guards in src/http/guards.ts. */
    auth: Auth;
    services: Services;
    /** The request's per-IP limit on /v1, applied once: up front, or by the guard (src/rate-limit/ip-limit.ts). */
    ipLimit?: IpLimit;
  };
}
