import { z } from "@hono/zod-openapi";
import { decimalInteger, pageQuery, text, typedText } from "../../routes/schemas.ts";
import { EMPLOYEE_SORT_FIELDS, type EmployeeInput } from "./service.ts";
import type { Employee } from "./table.ts";

const MAX_EMP_ID = 2_147_483_647;

export const EmployeeSchema = z
  .object({
    emp_id: z.number().int(),
    emp_name: z.string(),
    city: z.string(),
    country: z.string(),
    emp_dob: z.iso.date(),
  })
  .openapi("Employee");

const empId = z.number().int().min(1).max(MAX_EMP_ID);
const EARLIEST_DOB = "1900-01-01";
/**
 * An ISO date from 1900-01-01 to today (UTC). The document states the earliest day as
 * `formatMinimum`; today moves, so it is in the description only.
 */
const dateOfBirth = z.iso
  .date()
  .refine((value) => value <= new Date().toISOString().slice(0, 10), "must not be in the future")
  .refine((value) => value >= EARLIEST_DOB, `must not be before ${EARLIEST_DOB}`)
  .meta({ description: `From ${EARLIEST_DOB} to today (UTC)`, formatMinimum: EARLIEST_DOB });

const EmployeeFields = {
  emp_id: empId,
  emp_name: typedText(200),
  city: typedText(100),
  country: typedText(100),
  emp_dob: dateOfBirth,
};

export const CreateEmployeeSchema = z.object(EmployeeFields).openapi("CreateEmployeeRequest");
export const UpdateEmployeeSchema = z
  .object(EmployeeFields)
  .partial()
  .openapi("UpdateEmployeeRequest", { description: "Only the fields given change; a new emp_id must be free" });

export const EmpIdParams = z.object({ emp_id: decimalInteger(1, MAX_EMP_ID) });

export const EmployeeListQuery = pageQuery(100).extend({
  city: text(100).optional().openapi({ description: "Case-insensitive substring" }),
  country: text(100).optional().openapi({ description: "Case-insensitive substring (ANDed with city)" }),
  sort_by: z.enum(EMPLOYEE_SORT_FIELDS).default("emp_id"),
  order: z.enum(["asc", "desc"]).default("asc"),
});

/** The fields of a create or update body, as the service names them; absent fields stay absent. */
export function toEmployeeInput(body: z.output<typeof UpdateEmployeeSchema>): Partial<EmployeeInput> {
  const input: Partial<EmployeeInput> = {};
  if (body.emp_id !== undefined) input.empId = body.emp_id;
  if (body.emp_name !== undefined) input.empName = body.emp_name;
  if (body.city !== undefined) input.city = body.city;
  if (body.country !== undefined) input.country = body.country;
  if (body.emp_dob !== undefined) input.empDob = body.emp_dob;
  return input;
}

export function toEmployeeBody(employee: Employee) {
  const body = {
    emp_id: employee.empId,
    emp_name: employee.empName,
    city: employee.city,
    country: employee.country,
    emp_dob: employee.empDob,
  } satisfies z.input<typeof EmployeeSchema>;
  return body;
}
