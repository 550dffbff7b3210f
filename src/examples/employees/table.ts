import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Employees: the admin-written example resource. `city` and `country` have trigram
 * indexes for the case-insensitive substring filters; every sortable field has a
 * btree index (with `emp_id` as the tie-breaker) so a page is an index scan.
 */
export const employees = pgTable(
  "employees",
  {
    empId: integer().primaryKey(),
    empName: text().notNull(),
    city: text().notNull(),
    country: text().notNull(),
    empDob: date({ mode: "string" }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("employees_city_trgm_idx").using("gin", sql`lower(${table.city}) gin_trgm_ops`),
    index("employees_country_trgm_idx").using("gin", sql`lower(${table.country}) gin_trgm_ops`),
    index("employees_emp_name_idx").on(table.empName, table.empId),
    index("employees_emp_dob_idx").on(table.empDob, table.empId),
    index("employees_city_idx").on(table.city, table.empId),
    index("employees_country_idx").on(table.country, table.empId),
    check("employees_emp_id_positive", sql`${table.empId} >= 1`),
    check(
      "employees_text_lengths",
      sql`length(${table.empName}) BETWEEN 1 AND 200 AND length(${table.city}) BETWEEN 1 AND 100 AND length(${table.country}) BETWEEN 1 AND 100`,
    ),
  ],
);

export type Employee = typeof employees.$inferSelect;
