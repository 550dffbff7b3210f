import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Context } from "hono";
import { ApiError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { postgresErrorCode } from "../../db/errors.ts";
import type { AppEnv } from "../../http/app-env.ts";
import { type ListOrder, type Page, type PageRequest, pageOfTable, sortKey } from "../../services/pagination.ts";
import { type Employee, employees } from "./table.ts";

export const EMPLOYEE_SORT_FIELDS = ["emp_id", "emp_name", "emp_dob", "city", "country"] as const;
export type EmployeeSortField = (typeof EMPLOYEE_SORT_FIELDS)[number];

/** The only columns a client can sort by: a closed map, so no client text reaches SQL as an identifier. */
const SORT_COLUMNS = {
  emp_id: employees.empId,
  emp_name: employees.empName,
  emp_dob: employees.empDob,
  city: employees.city,
  country: employees.country,
} as const satisfies Record<EmployeeSortField, unknown>;

/**
 * The sort key of `field`. With filters it is an expression equal to the column
 * (`x || ''`, `x + 0`) that no index serves: Postgres then finds the matches first
 * (trigram indexes) and sorts them, instead of walking the column's index and
 * filtering as it goes, which at a million rows took 0.8 s whenever the matches sat
 * at the far end of the sort order (docs/performance.md, "Lists at a million rows"). Without filters
 * the index order is what makes a page cheap, so the plain column is used.
 */
function sortExpression(field: EmployeeSortField, filtered: boolean): SQL | (typeof SORT_COLUMNS)[EmployeeSortField] {
  const column = SORT_COLUMNS[field];
  if (!filtered) return column;
  return field === "emp_id" || field === "emp_dob" ? sql`(${column} + 0)` : sql`(${column} || '')`;
}

/** How each sort field's values travel in a cursor. */
const KEY_TYPES = {
  emp_id: "bigint",
  emp_name: "text",
  emp_dob: "date",
  city: "text",
  country: "text",
} as const satisfies Record<EmployeeSortField, Parameters<typeof sortKey>[1]>;

/** The list's order: the field, then `emp_id`; a cursor fits only the sort it was made in. */
function employeeOrder(field: EmployeeSortField, direction: "asc" | "desc", filtered: boolean): ListOrder {
  const key = (name: EmployeeSortField) => sortKey(sortExpression(name, filtered), KEY_TYPES[name]);
  return {
    tag: `employees:${field}:${direction}`,
    direction,
    keys: field === "emp_id" ? [key("emp_id")] : [key(field), key("emp_id")],
  };
}

export interface EmployeeQuery extends PageRequest {
  city?: string;
  country?: string;
  sortBy: EmployeeSortField;
  order: "asc" | "desc";
}

export interface EmployeeInput {
  empId: number;
  empName: string;
  city: string;
  country: string;
  empDob: string;
}

/** `lower(column) LIKE %text%`, with the client's `%`, `_` and `\` matched literally. */
function contains(column: typeof employees.city | typeof employees.country, text: string): SQL {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`);
  return sql`lower(${column}) LIKE ${`%${escaped}%`}`;
}

const conflict = () => new ApiError("conflict", "An employee with this emp_id already exists.");
const notFound = () => new ApiError("not_found", "No employee with this emp_id.");

/** Employees: every method is one SQL request. */
export function createEmployeeService(db: () => Database) {
  return {
    /**
     * Filtered (case-insensitive substrings, ANDed), sorted (ties by emp_id): one SQL
     * request, with a capped count only if asked.
     */
    list(query: EmployeeQuery): Promise<Page<Employee>> {
      const where = and(
        query.city ? contains(employees.city, query.city) : undefined,
        query.country ? contains(employees.country, query.country) : undefined,
      );
      return pageOfTable(db(), employees, where, employeeOrder(query.sortBy, query.order, where !== undefined), query);
    },

    async get(empId: number): Promise<Employee> {
      const [employee] = await db().select().from(employees).where(eq(employees.empId, empId));
      if (!employee) throw notFound();
      return employee;
    },

    /** 409 `conflict` when `emp_id` is taken. */
    async create(input: EmployeeInput): Promise<Employee> {
      const [employee] = await db().insert(employees).values(input).onConflictDoNothing().returning();
      if (!employee) throw conflict();
      return employee;
    },

    /** Changes only the fields given; moving to a taken `emp_id` is a 409. */
    async update(empId: number, patch: Partial<EmployeeInput>): Promise<Employee> {
      try {
        const [employee] = await db()
          .update(employees)
          .set({ ...patch, updatedAt: sql`now()` })
          .where(eq(employees.empId, empId))
          .returning();
        if (!employee) throw notFound();
        return employee;
      } catch (error) {
        if (postgresErrorCode(error) === "23505") throw conflict();
        throw error;
      }
    },

    async delete(empId: number): Promise<void> {
      const deleted = await db().delete(employees).where(eq(employees.empId, empId)).returning({ id: employees.empId });
      if (deleted.length === 0) throw notFound();
    },
  };
}

export type EmployeeService = ReturnType<typeof createEmployeeService>;

/**
 * The service of one request, on its database. An example builds its own service, so
 * `src/services/` knows nothing of the examples and deleting `src/examples/` leaves it whole.
 *
 * @example
 * const page = await employeesOf(c).list(…);
 */
export function employeesOf(c: Context<AppEnv>): EmployeeService {
  return createEmployeeService(() => c.var.services.db);
}
