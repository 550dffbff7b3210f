import { type AnyColumn, and, asc, desc, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { fromBase64Url, toBase64Url } from "../core/encoding.ts";
import { ApiError } from "../core/errors.ts";
import type { Database } from "../db/client.ts";

/** Counts stop here: `include_total` never scans more than this many rows, plus one. */
const TOTAL_CAP = 10_000;

/** What a list request asks for (`PageQuery` in src/routes/schemas.ts). */
export interface PageRequest {
  limit: number;
  offset: number;
  cursor?: string;
  includeTotal?: boolean;
}

/** A page of a list endpoint. */
export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  /** Whether more rows lie in the direction the page was read. */
  hasMore: boolean;
  nextCursor: string | null;
  prevCursor: string | null;
  /** Only when asked: exact up to TOTAL_CAP, else TOTAL_CAP with `capped`. */
  total?: { count: number; capped: boolean };
}

/**
 * One sort key of a list: the expression the list orders by, how its value is read
 * back exactly (timestamps as microsecond UTC text, since a JavaScript Date keeps only
 * milliseconds), how a cursor's value is checked, and how it is cast back into SQL.
 */
export interface SortKey {
  expression: SQL | AnyColumn;
  text: SQL;
  valid: (value: unknown) => boolean;
  param: (value: string) => SQL;
}

/** The order of a list: its keys, the last one unique (the tie-breaker), all in one direction. */
export interface ListOrder {
  /** Names the list and its sort, so a cursor only fits the list it was made by. */
  tag: string;
  keys: readonly SortKey[];
  direction: "asc" | "desc";
}

type Travel = "after" | "before";
type CursorKeys = Record<`cursor_${number}`, SQL>;

/**
 * Whether `value`, `YYYY-MM-DDTHH:MM:SS` in UTC, names exactly that instant, as Postgres
 * would read it: JavaScript refuses a field out of range (`99:99:99`) or rolls it over to
 * another text (`2026-02-30`, `23:60:00`, `24:00:00`), and Postgres has no year 0000.
 */
function isUtcInstant(value: string): boolean {
  const time = Date.parse(`${value}Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value) && !value.startsWith("0000");
}

/** Most values read back exactly as their `::text`. */
const asText = (expression: SQL | AnyColumn) => sql`${expression}::text`;

/** The types sort keys come in: how each is read back, checked in a cursor, and cast back. */
const KEY_TYPES = {
  /** Read back as `YYYY-MM-DDTHH:MM:SS.ffffffZ`: microseconds, which a JavaScript Date would lose. */
  timestamptz: {
    text: (expression: SQL | AnyColumn) =>
      sql`to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    valid: (value: string) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value) && isUtcInstant(value.slice(0, 19)),
  },
  date: {
    text: asText,
    valid: (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && isUtcInstant(`${value}T00:00:00`),
  },
  uuid: { text: asText, valid: (value: string) => /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(value) },
  bigint: { text: asText, valid: (value: string) => /^-?\d{1,18}$/.test(value) },
  /** Any text Postgres can hold: well-formed, no NUL. */
  text: {
    text: asText,
    valid: (value: string) => value.length <= 1_000 && value.isWellFormed() && !value.includes("\u0000"),
  },
} as const;

/**
 * A sort key of type `type` over `expression`.
 *
 * @example
 * const NOTES_ORDER = { tag: "notes", direction: "desc", keys: [sortKey(notes.createdAt, "timestamptz"), sortKey(notes.id, "uuid")] };
 */
export function sortKey(expression: SQL | AnyColumn, type: keyof typeof KEY_TYPES): SortKey {
  const { text, valid } = KEY_TYPES[type];
  return {
    expression,
    text: text(expression),
    valid: (value) => typeof value === "string" && valid(value),
    param: (value) => sql`${value}::${sql.raw(type)}`,
  };
}

/**
 * Plans a page of a list in `order`: from a cursor (keyset: the rows after or before
 * the cursor's row, an index range scan whatever the depth) or from an offset (the
 * slow path, kept for the seed's clients). A cursor that does not decode, or was made
 * by another list or sort, is 400 `invalid_cursor`; its values only ever narrow the
 * caller's own `WHERE`, so no cursor can reach another owner's rows.
 *
 * @example
 * const page = planPage(NOTES_ORDER, request);
 * const rows = await db.select({ ...getTableColumns(notes), ...page.keyColumns }).from(notes)
 *   .where(and(mine, page.where)).orderBy(...page.orderBy).offset(page.offset).limit(page.fetch);
 * return page.finish(rows);
 */
export function planPage(order: ListOrder, request: PageRequest) {
  const start = request.cursor === undefined ? undefined : readCursor(order, request.cursor);
  if (start && request.offset > 0) throw new ApiError("invalid_cursor", "Give either `cursor` or `offset`, not both.");
  const travel: Travel = start?.travel ?? "after";
  // Reading backwards walks the order reversed, then turns the page around.
  const forward = travel === "after";
  const ascending = (order.direction === "asc") === forward;
  const keyList = sql.join(
    order.keys.map((key) => sql`${key.expression}`),
    sql`, `,
  );
  const where = start
    ? sql`(${keyList}) ${ascending ? sql`>` : sql`<`} (${sql.join(
        order.keys.map((key, index) => key.param(start.values[index] as string)),
        sql`, `,
      )})`
    : undefined;
  const keyColumns = Object.fromEntries(order.keys.map((key, index) => [`cursor_${index}`, key.text])) as CursorKeys;

  return {
    where,
    orderBy: order.keys.map((key) => (ascending ? asc(key.expression) : desc(key.expression))),
    keyColumns,
    offset: start ? 0 : request.offset,
    /** One row more than the page, to learn whether there is more. */
    fetch: request.limit + 1,

    /** The page from the fetched rows (with `keyColumns`), the cursor columns removed. */
    finish<T extends Partial<CursorKeys>>(rows: T[], total?: number): Page<Omit<T, keyof CursorKeys>> {
      const hasMore = rows.length > request.limit;
      const inOrder = rows.slice(0, request.limit);
      if (!forward) inOrder.reverse();
      const cursorAt = (row: T | undefined, towards: Travel) =>
        row === undefined
          ? null
          : writeCursor(
              order,
              towards,
              order.keys.map((_, index) => String(row[`cursor_${index}`])),
            );
      const moreAfter = forward ? hasMore : true;
      const moreBefore = forward ? start !== undefined || request.offset > 0 : hasMore;
      return {
        items: inOrder.map(({ ...row }) => {
          for (const index of order.keys.keys()) delete row[`cursor_${index}`];
          return row;
        }),
        limit: request.limit,
        offset: request.offset,
        hasMore,
        nextCursor: moreAfter ? cursorAt(inOrder.at(-1), "after") : null,
        prevCursor: moreBefore ? cursorAt(inOrder[0], "before") : null,
        ...(total === undefined ? {} : { total: { count: Math.min(total, TOTAL_CAP), capped: total > TOTAL_CAP } }),
      };
    },
  };
}

/**
 * A page of `table`'s rows under `where`, in `order`: one SQL statement, or with
 * `includeTotal` one batch with its capped count.
 *
 * @example
 * return pageOfTable(db(), notes, eq(notes.userId, userId), NOTES_ORDER, request);
 */
export async function pageOfTable<T extends PgTable>(
  db: Database,
  table: T,
  where: SQL | undefined,
  order: ListOrder,
  request: PageRequest,
): Promise<Page<T["$inferSelect"]>> {
  const page = planPage(order, request);
  const rows = db
    .select({ ...getTableColumns(table), ...page.keyColumns })
    .from(table as PgTable)
    .where(and(where, page.where))
    .orderBy(...page.orderBy)
    .offset(page.offset)
    .limit(page.fetch);
  if (!request.includeTotal) return page.finish(await rows) as Page<T["$inferSelect"]>;
  const [items, [count]] = await db.batch([rows, cappedCount(db, table, where)]);
  return page.finish(items, count?.total ?? 0) as Page<T["$inferSelect"]>;
}

/**
 * `count(*)` of `table` under `where`, stopping after TOTAL_CAP + 1 rows, to run in
 * the same batch as the page: one round trip, one snapshot, a bounded scan.
 */
function cappedCount(db: Database, table: PgTable, where?: SQL) {
  const capped = db
    .select({ one: sql`1` })
    .from(table)
    .where(where)
    .limit(TOTAL_CAP + 1)
    .as("capped");
  return db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(capped);
}

function writeCursor(order: ListOrder, travel: Travel, values: string[]): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify([order.tag, travel, ...values])));
}

function readCursor(order: ListOrder, cursor: string): { travel: Travel; values: unknown[] } {
  const invalid = () => new ApiError("invalid_cursor", "This cursor is not one this list gave out.");
  let decoded: unknown;
  try {
    decoded = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(fromBase64Url(cursor)));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== order.keys.length + 2) throw invalid();
  const [tag, travel, ...values] = decoded as unknown[];
  if (tag !== order.tag || (travel !== "after" && travel !== "before")) throw invalid();
  if (!order.keys.every((key, index) => key.valid(values[index]))) throw invalid();
  return { travel, values };
}
