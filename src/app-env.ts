import type { Auth } from "./auth/principal.ts";
import type { Bindings } from "./env.ts";
import type { Logger } from "./observability/logger.ts";
import type { ClientLimit } from "./rate-limit/client-limit.ts";
import type { Services } from "./services/index.ts";

/**
 * The Hono environment of every handler and middleware: the validated bindings
 * (src/env.ts, which knows nothing of what follows) and the request's variables.
 * No untyped `c.get`.
 */
export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    logger: Logger;
    /** Who the request acts for, set by the guards in src/auth/guards.ts. */
    auth: Auth;
    services: Services;
    /** The request's per-IP limit on /v1, applied once: up front, or by the guard (src/rate-limit/client-limit.ts). */
    clientLimit?: ClientLimit;
  };
}
