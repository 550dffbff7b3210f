import { z } from "@hono/zod-openapi";

/* Request and response schemas shared by the resource routes. */

/** `offset` >= 0 and `limit` 1..100 (default 20), as every list endpoint takes them. */
export const PageQuery = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** `{items, total, offset, limit}` around `item`. */
export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({ items: z.array(item), total: z.number().int(), offset: z.number().int(), limit: z.number().int() })
    .openapi(name);

/** `{id}` path parameters are UUIDs; anything else is a 422, never a database query. */
export const IdParams = z.object({ id: z.uuid() });
