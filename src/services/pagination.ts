import { type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "../db/client.ts";

/** A page of a list endpoint: `{items, total, offset, limit}`. */
export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

/**
 * The `count(*)` of `table` under `where`, to run in the same batch as the page's
 * query: one HTTP round trip, one snapshot, and a right total even past the last page.
 */
export function countOf(db: Database, table: PgTable, where?: SQL) {
  return db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(table)
    .where(where);
}
