import { beforeAll, describe, expect, it } from "vitest";
import { generateEmployees, insertEmployeesStatement } from "../../scripts/db/employee-generator.ts";
import { reforge } from "../support/cursors.ts";
import {
  adminSecret,
  bearer,
  createAdmin,
  createKey,
  createUser,
  database,
  expectProblem,
  login,
  requestJson,
  sqlRequests,
  withKey,
} from "../support/harness.ts";

interface Employee {
  emp_id: number;
  emp_name: string;
  city: string;
  country: string;
  emp_dob: string;
}
interface EmployeePage {
  items: Employee[];
  total: number;
  offset: number;
  limit: number;
  has_more: boolean;
  next_cursor: string | null;
  prev_cursor: string | null;
}

const SEEDED = 2_000;
let reader: Record<string, string>;
let admin: Record<string, string>;
/** Ids above the seeded range, one per test that writes. */
let nextId = 100_000;
const newEmployee = (overrides: Partial<Employee> = {}): Employee => ({
  emp_id: ++nextId,
  emp_name: "Grace Hopper",
  city: "Arlington",
  country: "United States",
  emp_dob: "1906-12-09",
  ...overrides,
});

beforeAll(async () => {
  await database().$client.query(...insertEmployeesStatement(generateEmployees(SEEDED)));
  reader = bearer((await login(await createUser())).access_token);
  admin = bearer((await createAdmin()).tokens.access_token);
});

const list = async (query: string, headers = reader) => {
  const response = await requestJson("GET", `/v1/employees?${query}`, undefined, headers);
  expect(response.status).toBe(200);
  return (await response.json()) as EmployeePage;
};

describe("GET /v1/employees", () => {
  const FIELDS = ["emp_id", "emp_name", "emp_dob", "city", "country"] as const;
  const FILTERS: Record<string, string>[] = [
    {},
    { city: "AN" },
    { country: "united" },
    { city: "o", country: "a" },
    { city: "ó" },
  ];

  it("gives the same rows as the same query written in SQL, for every sort field, order and filter", async () => {
    for (const field of FIELDS) {
      for (const order of ["asc", "desc"] as const) {
        for (const filter of FILTERS) {
          const params = new URLSearchParams({
            ...filter,
            sort_by: field,
            order,
            offset: "3",
            limit: "25",
            include_total: "true",
          });
          const page = await list(params.toString());
          const conditions = Object.entries(filter).map(
            ([column, value]) => `lower(${column}) LIKE '%${value.toLowerCase()}%'`,
          );
          const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
          const rows = await database().$client.query(
            `SELECT emp_id, emp_name, city, country, emp_dob::text AS emp_dob, count(*) OVER () AS total
             FROM employees ${where} ORDER BY ${field} ${order}, emp_id ${order}`,
          );
          const label = `${field} ${order} ${JSON.stringify(filter)}`;
          expect(page.items, label).toEqual(
            rows.slice(3, 28).map(({ total: _, ...row }) => ({ ...row, emp_id: Number(row.emp_id) })),
          );
          expect(page.total, label).toBe(rows.length);
        }
      }
    }
  });

  it("pages by cursor through every sort field, order and filter, forwards then back, ties by emp_id", async () => {
    for (const field of FIELDS) {
      for (const order of ["asc", "desc"] as const) {
        for (const filter of FILTERS) {
          const label = `${field} ${order} ${JSON.stringify(filter)}`;
          const base = new URLSearchParams({ ...filter, sort_by: field, order, limit: "25" });
          const conditions = Object.entries(filter).map(
            ([column, value]) => `lower(${column}) LIKE '%${value.toLowerCase()}%'`,
          );
          const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
          const rows = (
            await database().$client.query(
              `SELECT emp_id FROM employees ${where} ORDER BY ${field} ${order}, emp_id ${order} LIMIT 75`,
            )
          ).map((row) => Number(row.emp_id));

          const pages = [await list(base.toString())];
          for (let i = 1; i < 3 && pages.at(-1)?.next_cursor; i++) {
            pages.push(await list(`${base}&cursor=${pages.at(-1)?.next_cursor}`));
          }
          const forwards = pages.flatMap((page) => page.items.map((item) => item.emp_id));
          expect(forwards, label).toEqual(rows);
          expect(pages[0]?.prev_cursor, label).toBeNull();

          const last = pages.at(-1) as EmployeePage;
          if (pages.length > 1 && last.prev_cursor) {
            const back = await list(`${base}&cursor=${last.prev_cursor}`);
            expect(back.items, label).toEqual(pages.at(-2)?.items);
          }
        }
      }
    }
  });

  it("pages with offset and limit (default 100), in one SQL request", async () => {
    const before = await sqlRequests();
    const first = await list("include_total=true");
    expect(await sqlRequests()).toBe(before + 1);
    expect(first).toMatchObject({ offset: 0, limit: 100 });
    expect(first.total).toBeGreaterThanOrEqual(SEEDED);
    const second = await list("offset=100&limit=100");
    expect(second.items[0]?.emp_id).toBe((first.items.at(-1)?.emp_id ?? 0) + 1);
    const beyond = await list("offset=999999&include_total=true");
    expect(beyond).toMatchObject({ items: [], total: first.total, has_more: false, next_cursor: null });
  });

  it("matches % and _ in filters literally, never as wildcards", async () => {
    expect((await list("city=%25&include_total=true")).total).toBe(0);
    expect((await list("city=_&include_total=true")).total).toBe(0);
  });

  it("refuses a cursor whose date is out of range (year 0000, 2026-02-30) with 400 invalid_cursor", async () => {
    for (const order of ["asc", "desc"] as const) {
      const base = `sort_by=emp_dob&order=${order}&limit=1`;
      const cursor = (await list(base)).next_cursor as string;
      for (const date of ["0000-01-01", "2026-02-30"]) {
        const response = await requestJson(
          "GET",
          `/v1/employees?${base}&cursor=${reforge(cursor, 2, date)}`,
          undefined,
          reader,
        );
        await expectProblem(response, 400, "invalid_cursor");
      }
    }
  });

  it("refuses unknown sort fields, orders and bad paging with 422", async () => {
    for (const query of [
      "sort_by=emp_salary",
      "sort_by=emp_name;DROP TABLE employees",
      "order=sideways",
      "limit=0",
      "limit=101",
      "offset=-1",
    ]) {
      await expectProblem(
        await requestJson("GET", `/v1/employees?${query}`, undefined, reader),
        422,
        "validation_failed",
      );
    }
  });

  it("is open to any authenticated caller, and to keys with employees:read only", async () => {
    await expectProblem(await requestJson("GET", "/v1/employees"), 401, "unauthorized");
    const owner = await login(await createUser());
    const readKey = await createKey(owner.access_token, { scopes: ["employees:read"] });
    const notesKey = await createKey(owner.access_token, { scopes: ["notes:read"] });
    expect((await requestJson("GET", "/v1/employees/1", undefined, withKey(readKey.key))).status).toBe(200);
    await expectProblem(
      await requestJson("GET", "/v1/employees", undefined, withKey(notesKey.key)),
      403,
      "insufficient_scope",
    );
  });
});

describe("employee writes", () => {
  it("creates, reads, patches partially and deletes, each in one SQL request", async () => {
    const employee = newEmployee();
    let before = await sqlRequests();
    const created = await requestJson("POST", "/v1/employees", employee, admin);
    expect(await sqlRequests()).toBe(before + 1);
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual(employee);

    before = await sqlRequests();
    const fetched = await requestJson("GET", `/v1/employees/${employee.emp_id}`, undefined, reader);
    expect(await sqlRequests()).toBe(before + 1);
    expect(await fetched.json()).toEqual(employee);

    before = await sqlRequests();
    const patched = await requestJson("PATCH", `/v1/employees/${employee.emp_id}`, { city: "Washington" }, admin);
    expect(await sqlRequests()).toBe(before + 1);
    expect(await patched.json()).toEqual({ ...employee, city: "Washington" });

    before = await sqlRequests();
    const deleted = await requestJson("DELETE", `/v1/employees/${employee.emp_id}`, undefined, admin);
    expect(await sqlRequests()).toBe(before + 1);
    expect(deleted.status).toBe(204);
    await expectProblem(
      await requestJson("GET", `/v1/employees/${employee.emp_id}`, undefined, reader),
      404,
      "not_found",
    );
  });

  it("answers 409 for a taken emp_id on create and on update, 404 for unknown ids", async () => {
    const taken = newEmployee();
    await requestJson("POST", "/v1/employees", taken, admin);
    await expectProblem(await requestJson("POST", "/v1/employees", taken, admin), 409, "conflict");
    const other = newEmployee();
    await requestJson("POST", "/v1/employees", other, admin);
    await expectProblem(
      await requestJson("PATCH", `/v1/employees/${other.emp_id}`, { emp_id: taken.emp_id }, admin),
      409,
      "conflict",
    );
    const moved = await requestJson("PATCH", `/v1/employees/${other.emp_id}`, { emp_id: ++nextId }, admin);
    expect(await moved.json()).toMatchObject({ emp_id: nextId, emp_name: other.emp_name });
    await expectProblem(await requestJson("PATCH", "/v1/employees/999999", { city: "x" }, admin), 404, "not_found");
    await expectProblem(await requestJson("DELETE", "/v1/employees/999999", undefined, admin), 404, "not_found");
  });

  it("validates: emp_id >= 1, a real date not in the future, non-empty names", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    for (const body of [
      newEmployee({ emp_id: 0 }),
      newEmployee({ emp_id: -5 }),
      newEmployee({ emp_dob: tomorrow }),
      newEmployee({ emp_dob: "2001-02-30" }),
      newEmployee({ emp_dob: "12/09/1906" }),
      newEmployee({ emp_name: " " }),
      { emp_id: ++nextId },
    ]) {
      await expectProblem(await requestJson("POST", "/v1/employees", body, admin), 422, "validation_failed");
    }
    await expectProblem(
      await requestJson("PATCH", "/v1/employees/1", { emp_dob: tomorrow }, admin),
      422,
      "validation_failed",
    );
    await expectProblem(await requestJson("GET", "/v1/employees/0", undefined, reader), 422, "validation_failed");
  });

  it("refuses writes by non-admins (403) and without credentials (401)", async () => {
    await expectProblem(await requestJson("POST", "/v1/employees", newEmployee(), reader), 403, "forbidden");
    await expectProblem(await requestJson("PATCH", "/v1/employees/1", { city: "x" }, reader), 403, "forbidden");
    await expectProblem(await requestJson("DELETE", "/v1/employees/1", undefined, reader), 403, "forbidden");
    await expectProblem(await requestJson("POST", "/v1/employees", newEmployee()), 401, "unauthorized");
  });

  it("lets an admin's key and a service key with employees:write write, but not a user's key", async () => {
    const adminUser = await createAdmin();
    const adminKey = await createKey(adminUser.tokens.access_token, { scopes: ["employees:write"] });
    expect((await requestJson("POST", "/v1/employees", newEmployee(), withKey(adminKey.key))).status).toBe(201);

    const minted = await requestJson(
      "POST",
      "/v1/admin/api-keys",
      { name: `svc-${crypto.randomUUID().slice(0, 6)}`, scopes: ["employees:write"] },
      adminSecret(),
    );
    const serviceKey = ((await minted.json()) as { key: string }).key;
    expect((await requestJson("POST", "/v1/employees", newEmployee(), withKey(serviceKey))).status).toBe(201);

    const userKey = await createKey((await login(await createUser())).access_token, { scopes: ["employees:write"] });
    await expectProblem(
      await requestJson("POST", "/v1/employees", newEmployee(), withKey(userKey.key)),
      403,
      "forbidden",
    );
  });
});
