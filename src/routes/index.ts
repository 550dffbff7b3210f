import type { RouteBuckets } from "../http/middleware/rate-limit.ts";
import type { Router } from "../http/router.ts";
import { adminRouters } from "./admin/index.ts";
import { authRouters } from "./auth/index.ts";
import { docs } from "./infra/docs.ts";
import { health } from "./infra/health.ts";
import { jwks } from "./infra/jwks.ts";
import { passkeysDemo } from "./infra/passkeys-demo.ts";
import { ready } from "./infra/ready.ts";
import { root } from "./infra/root.ts";
import { securityTxt } from "./infra/security-txt.ts";
import { adminKeyRouters, keyRouters } from "./keys/index.ts";
import { passkeyRouters } from "./passkeys/index.ts";

/** Unversioned routes: liveness, readiness, docs, well-known files, the passkeys demo. */
export const infrastructureRouters: Router[] = [root, health, ready, securityTxt, jwks, docs, passkeysDemo];

/** The product's routers, each mounted under `/v1` (the examples are in src/examples/). */
export const v1Routers: Router[] = [
  ...authRouters,
  ...passkeyRouters,
  ...adminRouters,
  ...adminKeyRouters,
  ...keyRouters,
];

/**
 * Routes with a rate limit of their own besides the global one (src/http/middleware/rate-limit.ts).
 * `/token` counts as a login or a refresh by its grant; an unreadable grant counts as a login.
 */
export const ROUTE_BUCKETS: RouteBuckets = {
  "POST /v1/auth/login": "login",
  "POST /v1/auth/jwt/login": "login",
  "POST /v1/auth/register": "register",
  "POST /v1/auth/refresh": "refresh",
  "POST /v1/auth/password/forgot": "recovery",
  "POST /v1/auth/password/reset": "recovery",
  "POST /v1/auth/email/verify": "recovery",
  "POST /v1/auth/email/verify/request": "recovery",
  "POST /v1/auth/mfa/verify": "login",
  "POST /v1/auth/passkeys/login/options": "login",
  "POST /v1/auth/passkeys/login": "login",
  "POST /v1/auth/token": async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    return form.grant_type === "refresh_token" ? "refresh" : "login";
  },
};
