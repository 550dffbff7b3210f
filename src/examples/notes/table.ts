import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "../../db/schema/users.ts";

/** Notes: the owner-scoped example resource. */
export const notes = pgTable(
  "notes",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text().notNull(),
    content: text().notNull().default(""),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // The list's filter and order: one index scan per page, however many notes others have.
    // NULLS FIRST is what `ORDER BY … DESC` means, so the index serves it as written.
    index("notes_user_created_idx").on(table.userId, table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst()),
    check("notes_title_length", sql`length(${table.title}) BETWEEN 1 AND 200`),
    check("notes_content_length", sql`length(${table.content}) <= 10000`),
  ],
);

export type Note = typeof notes.$inferSelect;
