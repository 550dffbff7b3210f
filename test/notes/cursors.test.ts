import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fromBase64Url, toBase64Url } from "../../src/core/encoding.ts";
import { reforge } from "../support/cursors.ts";
import {
  bearer,
  createKey,
  createUser,
  database,
  expectProblem,
  login,
  requestJson,
  sqlRequests,
} from "../support/harness.ts";

interface NotePage {
  items: { id: string; title: string }[];
  has_more: boolean;
  next_cursor: string | null;
  prev_cursor: string | null;
  total?: number;
  total_capped?: boolean;
}

async function writer() {
  const user = await createUser();
  const { access_token: token } = await login(user);
  const auth = bearer(token);
  const list = async (query = "") => {
    const response = await requestJson("GET", `/v1/notes?${query}`, undefined, auth);
    expect(response.status).toBe(200);
    return (await response.json()) as NotePage;
  };
  const write = async (title: string) => {
    const response = await requestJson("POST", "/v1/notes", { title }, auth);
    return ((await response.json()) as { id: string }).id;
  };
  return { user, token, auth, list, write };
}

/** Notes of `userId` inserted in one statement, all with the same created_at (ties). */
const insertTied = (userId: string, count: number) =>
  database().execute(sql`
    INSERT INTO notes (user_id, title, created_at)
    SELECT ${userId}, 'tied ' || n, '2026-01-01T00:00:00.123456Z' FROM generate_series(1, ${count}) AS n`);

const titles = (page: NotePage) => page.items.map((note) => note.title);

describe("cursor pages", () => {
  it("walk every row once, newest first, through ties of created_at, in one SQL request each", async () => {
    const { user, list } = await writer();
    await insertTied(user.id, 23);
    const seen: string[] = [];
    let page = await list("limit=5");
    seen.push(...titles(page));
    while (page.next_cursor) {
      const before = await sqlRequests();
      page = await list(`limit=5&cursor=${page.next_cursor}`);
      expect(await sqlRequests()).toBe(before + 1);
      seen.push(...titles(page));
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(page.has_more).toBe(false);
  });

  it("stay stable when rows are added and deleted between pages", async () => {
    const { list, write, auth } = await writer();
    for (let i = 1; i <= 9; i++) await write(`note ${i}`);
    const first = await list("limit=3");
    expect(titles(first)).toEqual(["note 9", "note 8", "note 7"]);

    await write("note 10, added after the first page");
    const second = await list(`limit=3&cursor=${first.next_cursor}`);
    expect(titles(second)).toEqual(["note 6", "note 5", "note 4"]);

    const doomed = second.items[0]?.id as string;
    expect((await requestJson("DELETE", `/v1/notes/${doomed}`, undefined, auth)).status).toBe(204);
    const third = await list(`limit=3&cursor=${second.next_cursor}`);
    expect(titles(third)).toEqual(["note 3", "note 2", "note 1"]);
    expect(third).toMatchObject({ has_more: false, next_cursor: null });
  });

  it("go back with prev_cursor to exactly the page before, and report the start", async () => {
    const { list, write } = await writer();
    for (let i = 1; i <= 7; i++) await write(`note ${i}`);
    const first = await list("limit=3");
    const second = await list(`limit=3&cursor=${first.next_cursor}`);
    const third = await list(`limit=3&cursor=${second.next_cursor}`);
    expect(titles(third)).toEqual(["note 1"]);
    const back = await list(`limit=3&cursor=${third.prev_cursor}`);
    expect(titles(back)).toEqual(titles(second));
    const start = await list(`limit=3&cursor=${back.prev_cursor}`);
    expect(titles(start)).toEqual(titles(first));
    expect(start).toMatchObject({ has_more: false, prev_cursor: null });
  });

  it("never show another user's rows, whoever's cursor is used", async () => {
    const alice = await writer();
    const bob = await writer();
    for (let i = 1; i <= 4; i++) await alice.write(`alice ${i}`);
    await bob.write("bob 1");
    const alicesCursor = (await alice.list("limit=2")).next_cursor;
    const seenByBob = await bob.list(`limit=10&cursor=${alicesCursor}`);
    expect(titles(seenByBob).every((title) => title.startsWith("bob"))).toBe(true);
  });

  it("refuse forged, malformed and foreign cursors, and a cursor with an offset, with 400 invalid_cursor", async () => {
    const { auth, list, write } = await writer();
    await write("one");
    await write("two");
    const real = (await list("limit=1")).next_cursor as string;
    const forge = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));
    const decoded = JSON.parse(new TextDecoder().decode(fromBase64Url(real))) as unknown[];
    const keyOwner = await login((await writer()).user);
    await createKey(keyOwner.access_token);
    await createKey(keyOwner.access_token);
    const keys = await requestJson("GET", "/v1/keys?limit=1", undefined, bearer(keyOwner.access_token));
    const keysCursor = ((await keys.json()) as NotePage).next_cursor as string;
    expect(keysCursor).toEqual(expect.any(String));

    const forged = [
      "not base64 at all!",
      forge("a string"),
      forge([]),
      forge(["notes", "after"]),
      forge(["notes", "sideways", decoded[2], decoded[3]]),
      forge(["keys", ...decoded.slice(1)]),
      forge(["notes", "after", "2026-02-30T00:00:00.000000Z", decoded[3]]),
      forge(["notes", "after", decoded[2], "not-a-uuid"]),
      forge(["notes", "after", decoded[2], decoded[3], "extra"]),
      forge(["notes", "after", `${decoded[2]}\u0000`, decoded[3]]),
      keysCursor,
    ];
    for (const cursor of forged) {
      const response = await requestJson("GET", `/v1/notes?cursor=${encodeURIComponent(cursor)}`, undefined, auth);
      await expectProblem(response, 400, "invalid_cursor");
    }
    await expectProblem(
      await requestJson("GET", `/v1/notes?offset=1&cursor=${real}`, undefined, auth),
      400,
      "invalid_cursor",
    );
  });
});

/** Timestamps of the right shape whose fields are out of range: Postgres refuses each of them. */
const OUT_OF_RANGE_TIMESTAMPS = [
  "2026-01-01T99:99:99.000000Z",
  "2026-01-01T23:60:00.000000Z",
  "2026-01-01T24:00:00.000000Z",
  "2026-01-01T23:59:60.000000Z",
  "0000-01-01T00:00:00.000000Z",
];

describe("forged cursors", () => {
  it("with an out-of-range time or year 0000 are 400 invalid_cursor on /v1/notes and /v1/keys", async () => {
    const { token, auth, list, write } = await writer();
    await write("one");
    await write("two");
    const notesCursor = (await list("limit=1")).next_cursor as string;
    await createKey(token);
    await createKey(token);
    const keys = await requestJson("GET", "/v1/keys?limit=1", undefined, auth);
    const keysCursor = ((await keys.json()) as NotePage).next_cursor as string;

    for (const [path, cursor] of [
      ["/v1/notes", notesCursor],
      ["/v1/keys", keysCursor],
    ] as const) {
      for (const timestamp of OUT_OF_RANGE_TIMESTAMPS) {
        const forged = reforge(cursor, 2, timestamp);
        const response = await requestJson("GET", `${path}?cursor=${forged}`, undefined, auth);
        await expectProblem(response, 400, "invalid_cursor");
      }
    }
  });
});

describe("include_total", () => {
  it("counts exactly below 10,000 and stops at 10,000 above, flagged; without it there is no total", async () => {
    const { user, list } = await writer();
    await insertTied(user.id, 10_001);
    expect(await list("limit=1")).not.toHaveProperty("total");
    expect(await list("limit=1&include_total=true")).toMatchObject({ total: 10_000, total_capped: true });
    await database().execute(sql`DELETE FROM notes WHERE user_id = ${user.id} AND title IN ('tied 1', 'tied 2')`);
    expect(await list("limit=1&include_total=true")).toMatchObject({ total: 9_999, total_capped: false });
  });
});
