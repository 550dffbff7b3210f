/**
 * The Worker the benchmark runs: the production app (`createApp()`, the same Durable
 * Object classes) plus what only a benchmark needs, outside the app's middleware:
 * - `GET /bench/bare`: a bare Hono route, the ceiling the other routes are compared with;
 * - `GET /bench/counters`: Durable Object calls this isolate has made;
 * - `GET /bench/hash`: the time of one password hash inside workerd.
 * Durable Object calls are counted by wrapping the namespaces once per bindings
 * object, so the app's own per-isolate caches behave as in production.
 */
import { Hono } from "hono";
import { createApp } from "../src/app.ts";
import { hashPassword } from "../src/auth/passwords.ts";

export { RateLimiter } from "../src/rate-limit/limiter.ts";
export { SessionFamily } from "../src/sessions/session-family.ts";

const NAMESPACES = ["RATE_LIMITER", "SESSION_FAMILY"] as const;
const app = createApp();
let durableObjectCalls = 0;
let envObjects = 0;

const countingStub = (stub: object) =>
  new Proxy(stub, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== "function" || property === "fetch") return value;
      return (...args: unknown[]) => {
        durableObjectCalls += 1;
        return Reflect.apply(value, target, args);
      };
    },
  });

const countingNamespace = (namespace: DurableObjectNamespace) =>
  new Proxy(namespace, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (property === "get")
        return (...args: Parameters<DurableObjectNamespace["get"]>) => countingStub(target.get(...args));
      return typeof value === "function" ? value.bind(target) : value;
    },
  });

const wrapped = new WeakMap<object, Record<string, unknown>>();
function countedEnv(env: Record<string, unknown>): Record<string, unknown> {
  let result = wrapped.get(env);
  if (!result) {
    envObjects += 1;
    result = { ...env };
    for (const name of NAMESPACES) result[name] = countingNamespace(env[name] as DurableObjectNamespace);
    wrapped.set(env, result);
  }
  return result;
}

const bench = new Hono()
  .get("/bench/bare", (c) => c.json({ ok: true }))
  .get("/bench/counters", (c) => c.json({ durable_object_calls: durableObjectCalls, env_objects: envObjects }))
  .get("/bench/hash", (c) => {
    const started = performance.now();
    hashPassword("benchmark password");
    return c.json({ ms: performance.now() - started });
  });

export default {
  fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext) {
    if (new URL(request.url).pathname.startsWith("/bench/")) return bench.fetch(request, env, ctx);
    return app.fetch(request, countedEnv(env), ctx);
  },
};
