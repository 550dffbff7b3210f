import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError, ERROR_CODES, PROBLEM_CONTENT_TYPE } from "../../core/errors.ts";
import { errorLogFields, isDatabaseUnavailable, isMissingSchema } from "../../db/errors.ts";
import type { AppEnv } from "../app-env.ts";
import { unauthorized } from "../request-credentials.ts";

/** An RFC 9457 problem response for `error`. */
export function problem(c: Context<AppEnv>, error: ApiError): Response {
  const { status, title } = ERROR_CODES[error.code];
  const body = {
    type: `https://gatehouse.dev/problems/${error.code}`,
    title,
    status,
    detail: error.message,
    code: error.code,
    request_id: c.get("requestId") ?? "",
    ...(error.errors ? { errors: error.errors } : {}),
  };
  return c.body(JSON.stringify(body), status, { ...error.headers, "Content-Type": PROBLEM_CONTENT_TYPE });
}

/**
 * Maps anything thrown while handling a request to a problem document. A database
 * that is down or slow is a 503; unknown errors are answered with a bare 500
 * `internal`. Both are logged by error class and SQLSTATE only (`errorLogFields`):
 * a database error's message and stack carry the query's parameters. In development
 * only, a missing table or column says which command fixes it; production never
 * tells a client about its schema.
 */
export function onError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof ApiError) return problem(c, withChallenge(c, error));
  if (error instanceof HTTPException) return problem(c, fromHttpException(error));
  if (isDatabaseUnavailable(error)) {
    c.get("logger")?.warn("database_unavailable", errorLogFields(error));
    return problem(c, new ApiError("database_unavailable", "The database is not answering; try again shortly."));
  }
  c.get("logger")?.error("unhandled_error", errorLogFields(error));
  // `=== false`: an environment that failed validation is not known to be development.
  if (c.env.isProduction === false && isMissingSchema(error)) return problem(c, migrationPending());
  return problem(c, new ApiError("internal", "Something went wrong on our side."));
}

const migrationPending = () =>
  new ApiError(
    "internal",
    "The database lacks a table or column this route uses: a migration is pending. " +
      "Run `npm run db:migrate` (a running `npm run dev` applies new migrations itself).",
  );

/**
 * Services refuse with a bare `unauthorized` (they know nothing of HTTP), e.g. for an
 * account deactivated after its access token was accepted. For a request acting as a
 * user by access token, that refuses the token, so it gets the token's challenge.
 */
const withChallenge = (c: Context<AppEnv>, error: ApiError): ApiError =>
  error.code === "unauthorized" && error.headers === undefined && c.var.auth?.kind === "user"
    ? unauthorized(c, error.message)
    : error;

function fromHttpException(error: HTTPException): ApiError {
  switch (error.status) {
    case 400:
      // Hono's validators raise this for a body that does not parse as its content type.
      return new ApiError("malformed_request", "The request body could not be parsed.");
    case 413:
      return new ApiError("payload_too_large", "The request body is larger than 1 MiB.");
    case 415:
      return new ApiError("unsupported_media_type", error.message);
    default:
      return new ApiError("internal", "Something went wrong on our side.");
  }
}
