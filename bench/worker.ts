/**
 * The Worker the benchmark runs: the production app (`createApp()`, the same Durable
 * Object classes) plus what only a benchmark needs, outside the app's middleware:
 * - `GET /bench/bare`: a bare Hono route, the ceiling the other routes are compared with;
 * - `GET /bench/do`, `/bench/sql`, `/bench/both`: the bare route plus one call to an
 *   in-memory Durable Object, plus one SQL request (`SELECT 1`, same driver), plus
 *   both: the physical limits of routes that need those round trips;
 * - `GET /bench/middleware/<n>`: the bare route behind the app's first n middleware
 *   (src/app.ts `middlewareStack`), to see what each one costs;
 * - `GET /v1/bench/employees-exact-total`: a list as the previous release served it;
 * - `GET /bench/counters`: Durable Object calls this isolate has made;
 * - `GET /bench/hash`: the time of one password hash inside workerd.
 * Durable Object calls are counted by wrapping the namespaces once per bindings
 * object, so the app's own per-isolate caches behave as in production.
 */
import { DurableObject } from "cloudflare:workers";
import { count, sql } from "drizzle-orm";
import { Hono } from "hono";
import { createApp, middlewareStack } from "../src/app.ts";
import { nobleArgon2id } from "../src/credentials/argon2id-noble.ts";
import { createPasswordHashing } from "../src/credentials/passwords.ts";
import { createDatabase } from "../src/db/client.ts";
import { employees } from "../src/examples/employees/table.ts";
import { exampleRouters } from "../src/examples/index.ts";
import { anyAccess } from "../src/http/access.ts";
import { createRouter } from "../src/http/router.ts";
import { defineRoute } from "../src/routes/define-route.ts";
import { v1Routers } from "../src/routes/index.ts";

export { RateLimiter } from "../src/rate-limit/limiter.ts";
export { SessionFamily } from "../src/sessions/session-family.ts";

/** The cheapest Durable Object call there is: one method touching only memory. */
export class BenchObject extends DurableObject {
  #calls = 0;

  ping(): number {
    this.#calls += 1;
    return this.#calls;
  }
}

const NAMESPACES = ["RATE_LIMITER", "SESSION_FAMILY"] as const;
/**
 * `GET /v1/bench/employees-exact-total`: the first employee page as the previous
 * release served every list, the page and an exact `count(*)` in one batch, behind
 * the same middleware and guard: the baseline of "a plain page >= 2x what it had".
 */
const previousReleasePage = createRouter().openapi(
  defineRoute({
    access: anyAccess({ scope: "employees:read" }),
    method: "get",
    path: "/bench/employees-exact-total",
    responses: { 200: { description: "20 employees and the exact total" } },
  }),
  async (c) => {
    const db = c.var.services.db;
    const [items, [total]] = await db.batch([
      db.select().from(employees).orderBy(employees.empId).limit(20),
      db.select({ total: count() }).from(employees),
    ]);
    return c.json({ items, total: total?.total ?? 0 }, 200);
  },
);

const app = createApp([...v1Routers, ...exampleRouters, previousReleasePage]);
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

type BenchEnv = { Bindings: { BENCH_OBJECT: DurableObjectNamespace<BenchObject>; DATABASE_URL: string } };
const pingObject = (env: BenchEnv["Bindings"]) => env.BENCH_OBJECT.get(env.BENCH_OBJECT.idFromName("bench")).ping();
const selectOne = (env: BenchEnv["Bindings"]) => createDatabase(env.DATABASE_URL, 5_000).execute(sql`SELECT 1`);

/** `/bench/middleware/<n>`: the bare route behind the first n middleware of the app. */
const middlewareLadder = Array.from({ length: middlewareStack(createRouter()).length + 1 }, (_, n) => {
  const ladder = createRouter();
  for (const [, middleware] of middlewareStack(ladder).slice(0, n)) ladder.use(middleware);
  return ladder.get(`/bench/middleware/${n}`, (c) => c.json({ ok: true }));
});

const bench = new Hono<BenchEnv>()
  .get("/bench/bare", (c) => c.json({ ok: true }))
  .get("/bench/do", async (c) => c.json({ ok: true, calls: await pingObject(c.env) }))
  .get("/bench/sql", async (c) => c.json({ ok: true, rows: (await selectOne(c.env)).rows.length }))
  // One after the other, as a route that checks its session before it queries.
  .get("/bench/both", async (c) => {
    const calls = await pingObject(c.env);
    const result = await selectOne(c.env);
    return c.json({ ok: true, calls, rows: result.rows.length });
  })
  .get("/bench/middleware/names", (c) => c.json(middlewareStack(createRouter()).map(([name]) => name)))
  .get("/bench/middleware/:n{[0-9]+}", (c) => {
    const ladder = middlewareLadder[Number(c.req.param("n"))];
    return ladder ? ladder.fetch(c.req.raw, c.env, c.executionCtx) : c.notFound();
  })
  .get("/bench/counters", (c) => c.json({ durable_object_calls: durableObjectCalls, env_objects: envObjects }))
  // The login goal's yardstick: one hash by the previous, pure-JavaScript implementation.
  .get("/bench/hash", async (c) => {
    const started = performance.now();
    await nobleHashing.hashPassword("benchmark password");
    return c.json({ ms: performance.now() - started });
  });

const nobleHashing = createPasswordHashing(() => nobleArgon2id);

export default {
  fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext) {
    if (new URL(request.url).pathname.startsWith("/bench/")) return bench.fetch(request, env, ctx);
    return app.fetch(request, countedEnv(env), ctx);
  },
};
