import { z } from "@hono/zod-openapi";
import type { Page, PageRequest } from "../services/pagination.ts";

/* Request and response schemas shared by the resource routes. */

const DECIMAL_INTEGER = /^(0|[1-9][0-9]*)$/;

/**
 * A whole number in a query string or a path, `min`..`max`: decimal digits only, so
 * `0x10`, `1e2`, `2.0`, `+1`, `01` and an empty value are 422s (`Number()` takes them all),
 * and the document says `type: integer`, which is exactly what passes.
 */
export const decimalInteger = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && DECIMAL_INTEGER.test(value) ? Number(value) : value),
    z.number("must be a decimal integer").int().min(min).max(max),
  );

// Postgres cannot store U+0000 in text, so every string is refused with one (src/http/router.ts
// does it for all of them); the text schemas say so in the document with their one `pattern`.
const NUL_MESSAGE = "must not contain NUL (U+0000) characters";
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character refused
const NUL_FREE = /^[^\u0000]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character refused
const NOT_BLANK_NUL_FREE = /^[^\u0000]*[^\s\u0000][^\u0000]*$/;

/**
 * A string of `min`..`max` characters, counted as JSON Schema's `minLength` and `maxLength`
 * (and Postgres's `varchar`) count them: code points, where zod's `.min` and `.max` count
 * UTF-16 units and so would refuse 200 emoji as longer than 200.
 */
const characters = (min: number, max: number) =>
  z
    .string()
    .refine((value) => {
      const length = [...value].length;
      return length >= min && length <= max;
    }, `must be ${min} to ${max} characters long`)
    .meta({ ...(min > 0 && { minLength: min }), maxLength: max });

/** Any text of `min`..`max` characters but NUL. */
export const text = (max: number, min = 0) => characters(min, max).regex(NUL_FREE, NUL_MESSAGE);

/**
 * A name or a code as typed: 1..`max` characters as sent, something other than
 * whitespace, no NUL; kept without its surrounding whitespace. The limits are the sent
 * text's, so they are the document's `minLength`, `maxLength` and `pattern` exactly
 * (`\s` is what `trim` removes).
 */
export const typedText = (max: number) =>
  characters(1, max).regex(NOT_BLANK_NUL_FREE, `must not be blank; ${NUL_MESSAGE}`).trim();

/**
 * How every list is paged: by `cursor` (a `next_cursor` or `prev_cursor` of an earlier
 * page; the cost of a page does not grow with its depth) or by `offset` (the slow path,
 * kept for clients of the seed's API), `limit` 1..100. `include_total=true` adds a
 * count, exact up to 10,000.
 */
export const pageQuery = (defaultLimit: number) =>
  z.object({
    cursor: text(512, 1)
      .optional()
      .meta({ description: "`next_cursor` or `prev_cursor` of a page", contentEncoding: "base64url" }),
    offset: decimalInteger(0, 1_000_000)
      .default(0)
      .openapi({ description: "Rows to skip (slow on deep pages; prefer `cursor`)" }),
    limit: decimalInteger(1, 100).default(defaultLimit),
    include_total: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true")
      .openapi({ description: "Count the matching rows, up to 10,000 (`total_capped` past it)" }),
  });

export const PageQuery = pageQuery(20);

/** The page fields every list answers with, around `items`. */
const pageFields = {
  limit: z.number().int(),
  offset: z.number().int(),
  has_more: z.boolean().openapi({ description: "Whether more rows lie in the direction this page was read" }),
  next_cursor: z.string().nullable().openapi({ description: "The page after this one; null at the end" }),
  prev_cursor: z.string().nullable().openapi({ description: "The page before this one; null at the start" }),
  total: z
    .number()
    .int()
    .optional()
    .openapi({ description: "With `include_total=true`: matching rows, at most 10,000" }),
  total_capped: z
    .boolean()
    .optional()
    .openapi({ description: "With `include_total=true`: whether there are more than 10,000" }),
};

/** `{items, limit, offset, has_more, next_cursor, prev_cursor, total?, total_capped?}` around `item`, plus `extra` fields. */
export const pageOf = <T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(
  item: T,
  name: string,
  extra?: E,
) => z.object({ ...extra, items: z.array(item), ...pageFields }).openapi(name);

/** A service's page as the API shows it, items shaped by `toBody`. */
export function pageBody<T, B>(page: Page<T>, toBody: (item: T) => B) {
  return {
    items: page.items.map(toBody),
    limit: page.limit,
    offset: page.offset,
    has_more: page.hasMore,
    next_cursor: page.nextCursor,
    prev_cursor: page.prevCursor,
    ...(page.total && { total: page.total.count, total_capped: page.total.capped }),
  };
}

/** A page request as the services take it. */
export const pageRequest = (query: z.output<typeof PageQuery>): PageRequest => ({
  limit: query.limit,
  offset: query.offset,
  cursor: query.cursor,
  includeTotal: query.include_total,
});

/** `{id}` path parameters are UUIDs; anything else is a 422, never a database query. */
export const IdParams = z.object({ id: z.uuid() });
