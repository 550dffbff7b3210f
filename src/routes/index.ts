import type { RouteBuckets } from "../middleware/rate-limit.ts";
import type { Router } from "../router.ts";
import { docs } from "./infra/docs.ts";
import { health } from "./infra/health.ts";
import { ready } from "./infra/ready.ts";
import { root } from "./infra/root.ts";
import { securityTxt } from "./infra/security-txt.ts";

/** Unversioned routes: liveness, readiness, docs, well-known files. */
export const infrastructureRouters: Router[] = [root, health, ready, securityTxt, docs];

/** Every application router, each mounted under `/v1` (the next issues add theirs). */
export const v1Routers: Router[] = [];

/** Routes with a rate limit of their own besides the global one (src/middleware/rate-limit.ts). */
export const ROUTE_BUCKETS: RouteBuckets = {};
