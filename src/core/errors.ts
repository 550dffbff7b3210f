import { z } from "@hono/zod-openapi";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The closed set of error codes Gatehouse answers with, each with its HTTP status and
 * the title of its problem document. Every error response is one of these.
 */
export const ERROR_CODES = {
  validation_failed: { status: 422, title: "Validation failed" },
  malformed_request: { status: 400, title: "Malformed request" },
  invalid_token: { status: 400, title: "Invalid token" },
  invalid_cursor: { status: 400, title: "Invalid cursor" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unauthorized: { status: 401, title: "Unauthorized" },
  invalid_credentials: { status: 401, title: "Invalid credentials" },
  invalid_mfa_code: { status: 401, title: "Invalid second-factor code" },
  mfa_required: { status: 400, title: "Second factor required" },
  invalid_passkey: { status: 400, title: "Invalid passkey response" },
  forbidden: { status: 403, title: "Forbidden" },
  insufficient_scope: { status: 403, title: "Insufficient scope" },
  email_not_verified: { status: 403, title: "Email not verified" },
  reauthentication_required: { status: 403, title: "Re-authentication required" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  user_exists: { status: 409, title: "User exists" },
  rate_limited: { status: 429, title: "Too many requests" },
  rate_limiter_unavailable: { status: 503, title: "Rate limiter unavailable" },
  sessions_unavailable: { status: 503, title: "Sessions unavailable" },
  missing_refresh_token: { status: 401, title: "Missing refresh token" },
  invalid_refresh_token: { status: 401, title: "Invalid refresh token" },
  refresh_token_reused: { status: 401, title: "Refresh token reused" },
  invalid_api_key: { status: 401, title: "Invalid API key" },
  api_key_expired: { status: 401, title: "API key expired" },
  api_key_revoked: { status: 401, title: "API key revoked" },
  bad_environment: { status: 500, title: "Server misconfigured" },
  database_unavailable: { status: 503, title: "Database unavailable" },
  internal: { status: 500, title: "Internal error" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one error type services and middleware throw; `onError` turns it into a
 * problem document. `detail` is shown to the client, so it never carries internals.
 *
 * @example
 * throw new ApiError("not_found", "No note with this id.");
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    detail?: string,
    extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? ERROR_CODES[code].title);
    this.code = code;
    this.errors = extra.errors;
    this.headers = extra.headers;
  }

  get status(): ContentfulStatusCode {
    return ERROR_CODES[this.code].status;
  }
}

/** The answer REQUIRE_EMAIL_VERIFICATION gives an account whose address is unproven (login, new passkeys and keys). */
export const emailNotVerified = () =>
  new ApiError("email_not_verified", "Verify your email address first; the link is in the email we sent.");

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://gatehouse.dev/problems/not_found" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    request_id: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Zod issues as the `errors[]` of a 422, paths dotted (`items.0.name`). */
export function validationError(issues: readonly z.core.$ZodIssue[]): ApiError {
  const errors = issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  return new ApiError("validation_failed", "The request does not match the schema.", { errors });
}

/**
 * The OpenAPI `responses` entries for the problems a route can answer with, grouped
 * by status; each names its codes, so the document lists every error a client sees.
 *
 * @example
 * responses: { 200: …, ...problemResponses("validation_failed", "user_exists") }
 */
export function problemResponses(...codes: ErrorCode[]) {
  const byStatus = new Map<number, [ErrorCode, ...ErrorCode[]]>();
  for (const code of codes)
    byStatus.set(ERROR_CODES[code].status, [...(byStatus.get(ERROR_CODES[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, grouped]) => [
      status,
      {
        description: grouped.map((code) => `\`${code}\``).join(", "),
        // The codes of this status, as an enum a client generator (and the fuzz suite) can read.
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema.extend({ code: z.enum(grouped) }) } },
      },
    ]),
  );
}
