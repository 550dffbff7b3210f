import { describe, expect, it } from "vitest";
import {
  adminSecret,
  bearer,
  createKey,
  createUser,
  expectProblem,
  login,
  requestJson,
  sqlRequests,
  withKey,
} from "../support/harness.ts";

interface Note {
  id: string;
  title: string;
  content: string;
  created_at: string;
  updated_at: string;
}
interface NotePage {
  items: Note[];
  total: number;
  offset: number;
  limit: number;
}

async function newWriter() {
  const user = await createUser();
  const tokens = await login(user);
  const auth = bearer(tokens.access_token);
  const write = async (title: string, content?: string) => {
    const response = await requestJson("POST", "/v1/notes", { title, content }, auth);
    expect(response.status).toBe(201);
    return (await response.json()) as Note;
  };
  return { user, tokens, auth, write };
}

/** The SQL requests `run` made, asserting it made exactly `expected`. */
async function expectSqlRequests<T>(expected: number, run: () => Promise<T>): Promise<T> {
  const before = await sqlRequests();
  const result = await run();
  expect(await sqlRequests()).toBe(before + expected);
  return result;
}

describe("/v1/notes", () => {
  it("creates, reads, lists newest first, patches partially and deletes, each in one SQL request", async () => {
    const { auth, write } = await newWriter();
    const first = await expectSqlRequests(1, () => write("first", "hello"));
    expect(first).toMatchObject({ title: "first", content: "hello" });
    const second = await write("second");
    expect(second.content).toBe("");

    const page = await expectSqlRequests(1, async () => {
      const response = await requestJson("GET", "/v1/notes?limit=1&include_total=true", undefined, auth);
      return (await response.json()) as NotePage;
    });
    expect(page).toMatchObject({
      total: 2,
      total_capped: false,
      offset: 0,
      limit: 1,
      has_more: true,
      prev_cursor: null,
    });
    expect(page.items.map((note) => note.id)).toEqual([second.id]);

    const fetched = await expectSqlRequests(1, () => requestJson("GET", `/v1/notes/${first.id}`, undefined, auth));
    expect(await fetched.json()).toEqual(first);

    const patched = await expectSqlRequests(1, () =>
      requestJson("PATCH", `/v1/notes/${first.id}`, { title: "renamed" }, auth),
    );
    const body = (await patched.json()) as Note;
    expect(body).toMatchObject({ id: first.id, title: "renamed", content: "hello" });
    expect(Date.parse(body.updated_at)).toBeGreaterThanOrEqual(Date.parse(first.updated_at));

    const deleted = await expectSqlRequests(1, () => requestJson("DELETE", `/v1/notes/${first.id}`, undefined, auth));
    expect(deleted.status).toBe(204);
    await expectProblem(await requestJson("GET", `/v1/notes/${first.id}`, undefined, auth), 404, "not_found");
    await expectProblem(await requestJson("DELETE", `/v1/notes/${first.id}`, undefined, auth), 404, "not_found");
  });

  it("keeps two users' notes apart through list, get, patch and delete (404, never 403)", async () => {
    const alice = await newWriter();
    const bob = await newWriter();
    const secret = await alice.write("alice's secret", "do not share");
    await bob.write("bob's note");

    const bobsList = (await (
      await requestJson("GET", "/v1/notes?include_total=true", undefined, bob.auth)
    ).json()) as NotePage;
    expect(bobsList.total).toBe(1);
    expect(JSON.stringify(bobsList)).not.toContain("alice");
    const missing = crypto.randomUUID();
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", { title: "mine now" }],
      ["DELETE", undefined],
    ] as const) {
      const foreign = await expectProblem(
        await requestJson(method, `/v1/notes/${secret.id}`, body, bob.auth),
        404,
        "not_found",
      );
      const absent = await expectProblem(
        await requestJson(method, `/v1/notes/${missing}`, body, bob.auth),
        404,
        "not_found",
      );
      expect(foreign.detail).toBe(absent.detail);
    }
    const intact = await requestJson("GET", `/v1/notes/${secret.id}`, undefined, alice.auth);
    expect(await intact.json()).toMatchObject({ title: "alice's secret", content: "do not share" });
  });

  it("validates: title 1..200 and not blank, content <= 10000, uuid ids, paging", async () => {
    const { auth, write } = await newWriter();
    const note = await write("ok");
    for (const body of [
      { title: "" },
      { title: "   " },
      { title: "x".repeat(201) },
      { title: "ok", content: "x".repeat(10_001) },
      {},
    ]) {
      await expectProblem(await requestJson("POST", "/v1/notes", body, auth), 422, "validation_failed");
    }
    await expectProblem(
      await requestJson("PATCH", `/v1/notes/${note.id}`, { title: "" }, auth),
      422,
      "validation_failed",
    );
    await expectProblem(await requestJson("GET", "/v1/notes/not-a-uuid", undefined, auth), 422, "validation_failed");
    await expectProblem(await requestJson("GET", "/v1/notes?limit=101", undefined, auth), 422, "validation_failed");
    expect((await write("t".repeat(200), "c".repeat(10_000))).title).toHaveLength(200);
  });

  it("refuses requests without credentials (401)", async () => {
    await expectProblem(await requestJson("GET", "/v1/notes"), 401, "unauthorized");
    await expectProblem(await requestJson("POST", "/v1/notes", { title: "x" }), 401, "unauthorized");
  });

  it("lets API keys act as their owner within notes:read / notes:write", async () => {
    const owner = await newWriter();
    const note = await owner.write("shared with my scripts");
    const reader = await createKey(owner.tokens.access_token, { scopes: ["notes:read"] });
    const writer = await createKey(owner.tokens.access_token, { scopes: ["notes:read", "notes:write"] });

    const listed = (await (await requestJson("GET", "/v1/notes", undefined, withKey(reader.key))).json()) as NotePage;
    expect(listed.items.map((item) => item.id)).toEqual([note.id]);
    expect((await requestJson("GET", `/v1/notes/${note.id}`, undefined, withKey(reader.key))).status).toBe(200);
    for (const [method, path, body] of [
      ["POST", "/v1/notes", { title: "nope" }],
      ["PATCH", `/v1/notes/${note.id}`, { title: "nope" }],
      ["DELETE", `/v1/notes/${note.id}`, undefined],
    ] as const) {
      await expectProblem(await requestJson(method, path, body, withKey(reader.key)), 403, "insufficient_scope");
    }

    const created = await requestJson("POST", "/v1/notes", { title: "from a script" }, withKey(writer.key));
    expect(created.status).toBe(201);
    const mine = (await (await requestJson("GET", "/v1/notes", undefined, owner.auth)).json()) as NotePage;
    expect(mine.items.map((item) => item.title)).toContain("from a script");
  });

  it("refuses service keys: notes belong to users (403)", async () => {
    const response = await requestJson(
      "POST",
      "/v1/admin/api-keys",
      { name: `svc-${crypto.randomUUID().slice(0, 6)}`, scopes: ["notes:read", "notes:write"] },
      adminSecret(),
    );
    const { key } = (await response.json()) as { key: string };
    await expectProblem(await requestJson("GET", "/v1/notes", undefined, withKey(key)), 403, "forbidden");
  });
});
