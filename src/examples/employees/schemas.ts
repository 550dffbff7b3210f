import { z } from "@hono/zod-openapi";
import { pageQuery } from "../../routes/schemas.ts";
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
const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);
/** An ISO date that is neither in the future nor before 1900. */
const dateOfBirth = z.iso
  .date()
  .refine((value) => value <= new Date().toISOString().slice(0, 10), "must not be in the future")
  .refine((value) => value >= "1900-01-01", "must not be before 1900-01-01");

const EmployeeFields = {
  emp_id: empId,
  emp_name: text(200),
  city: text(100),
  country: text(100),
  emp_dob: dateOfBirth,
};

export const CreateEmployeeSchema = z.object(EmployeeFields).openapi("CreateEmployeeRequest");
export const UpdateEmployeeSchema = z
  .object(EmployeeFields)
  .partial()
  .openapi("UpdateEmployeeRequest", { description: "Only the fields given change; a new emp_id must be free" });

export const EmpIdParams = z.object({ emp_id: z.coerce.number().int().min(1).max(MAX_EMP_ID) });

export const EmployeeListQuery = pageQuery(100).extend({
  city: z.string().max(100).optional().openapi({ description: "Case-insensitive substring" }),
  country: z.string().max(100).optional().openapi({ description: "Case-insensitive substring (ANDed with city)" }),
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
