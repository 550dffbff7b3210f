import type { MiddlewareHandler } from "hono";
import type { Bindings } from "../core/env.ts";
import { ApiError } from "../core/errors.ts";
import type { AppEnv } from "./app-env.ts";

/** The deployment switches that take a whole group of routes away, and what those routes answer while off. */
const FEATURES = {
  passkeys: { on: (env: Bindings) => env.PASSKEYS, detail: "Passkeys are turned off on this service." },
  account_emails: {
    on: (env: Bindings) => env.ACCOUNT_EMAILS,
    detail: "Account emails are turned off on this service.",
  },
} as const;

export type Feature = keyof typeof FEATURES;

/**
 * The gate of a route that exists only with `feature` on: while it is off, 404
 * `not_found`, as if the route did not exist. `defineRoute({ feature })` puts it in the
 * route's middleware (src/routes/define-route.ts), so no handler checks it itself.
 *
 * @example
 * defineRoute({ feature: "passkeys", access: PUBLIC, method: "post", path: "/auth/passkeys/login", … })
 */
export function featureGate(feature: Feature): MiddlewareHandler<AppEnv> {
  const { on, detail } = FEATURES[feature];
  return async (c, next) => {
    if (!on(c.env)) throw new ApiError("not_found", detail);
    await next();
  };
}
