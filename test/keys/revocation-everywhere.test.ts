import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiKeys, users } from "../../src/db/schema/index.ts";
import { createKey, createUser, database, expectProblem, login, requestJson, withKey } from "../support/harness.ts";

const callWith = (key: string) => requestJson("GET", "/v1/protected/service", undefined, withKey(key));

/** What another isolate's change leaves for this one: the database row changed, then the key's object told. */
async function changedElsewhere(keyId: string, change: () => Promise<unknown>) {
  await change();
  await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`key:${keyId}`)).invalidate();
}

// This isolate caches verifications for API_KEY_CACHE_TTL (30 s by default); these
// changes bypass its cache, as a change made in another isolate would.
describe("key changes made in another isolate reach this one on the next request", () => {
  it("a revocation", async () => {
    const { id, key } = await createKey((await login(await createUser())).access_token);
    expect((await callWith(key)).status).toBe(200);
    await changedElsewhere(id, () =>
      database().update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id)),
    );
    await expectProblem(await callWith(key), 401, "api_key_revoked");
  });

  it("an expiry brought forward by a renewal", async () => {
    const { id, key } = await createKey((await login(await createUser())).access_token);
    expect((await callWith(key)).status).toBe(200);
    const past = new Date(Date.now() - 1_000);
    await changedElsewhere(id, () => database().update(apiKeys).set({ expiresAt: past }).where(eq(apiKeys.id, id)));
    await expectProblem(await callWith(key), 401, "api_key_expired");
  });

  it("the owner's deactivation", async () => {
    const owner = await createUser();
    const { id, key } = await createKey((await login(owner)).access_token);
    expect((await callWith(key)).status).toBe(200);
    await changedElsewhere(id, () => database().update(users).set({ isActive: false }).where(eq(users.id, owner.id)));
    await expectProblem(await callWith(key), 401, "unauthorized");
  });

  it("and through the API, a revocation answers only once every isolate will refuse the key", async () => {
    const { token, key, id } = await (async () => {
      const { access_token } = await login(await createUser());
      return { token: access_token, ...(await createKey(access_token)) };
    })();
    expect((await callWith(key)).status).toBe(200);
    const revoked = await requestJson("DELETE", `/v1/keys/${id}`, undefined, { Authorization: `Bearer ${token}` });
    expect(revoked.status).toBeLessThan(300);
    const version = await env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`key:${id}`)).invalidate();
    expect(version).toBeGreaterThan(1);
  });
});
