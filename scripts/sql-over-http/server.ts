import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type BatchMode, isIsolationLevel, type RawResult, type SqlBackend, type Statement } from "./backend.ts";

/**
 * The local stand-in for Neon's SQL-over-HTTP service, so that the Worker's
 * `@neondatabase/serverless` + `drizzle-orm/neon-http` code runs unchanged in dev
 * and tests.
 *
 * Protocol (what the driver sends and expects):
 * - `POST /sql`, header `Neon-Connection-String` (its path names the database),
 *   body `{query, params}` → `{command, rowCount, rows, fields, rowAsArray}`, or
 *   `{queries: [...]}` → `{results: [...]}` run as one transaction in the mode of the
 *   `Neon-Batch-Isolation-Level` / `-Read-Only` / `-Deferrable` headers.
 * - Values are Postgres text output (`Neon-Raw-Text-Output: true`); rows are arrays
 *   with `Neon-Array-Mode: true`, objects otherwise.
 * - Postgres errors: HTTP 400 with `message` and the Postgres error fields.
 *
 * Local tooling also gets a small control API, never part of Neon's protocol:
 * - `POST /databases {name, template?}` creates a database (a copy of `template`),
 *   `DELETE /databases/{name}` drops it;
 * - `GET /databases/{name}/stats` → `{sql_requests}`, the `/sql` requests served for
 *   that database, so tests can count a request's round trips;
 * - `PUT /databases/{name}/fault {delay_ms?, down?, fail_batch_statement?, drop_batch_reply?}`
 *   makes that database slow or unreachable, fails every batch at statement N (after
 *   running the ones before it, so the rollback is real), or commits every batch and
 *   then drops the connection instead of answering; `DELETE` the same path heals it.
 *
 * @example
 * const endpoint = await startSqlOverHttp(new PgliteBackend({ database: "gatehouse" }), 4444);
 * // DATABASE_URL=postgres://gatehouse@127.0.0.1:4444/gatehouse
 */
export interface SqlOverHttp {
  readonly url: string;
  readonly port: number;
  readonly backend: SqlBackend;
  close(): Promise<void>;
}

interface Fault {
  delay_ms?: number;
  down?: boolean;
  /** The index of the statement that fails in every batch long enough to have it. */
  fail_batch_statement?: number;
  /** Commit every batch, then lose the reply: the client cannot tell whether its write happened. */
  drop_batch_reply?: boolean;
}

/** What a failing statement raises: SQLSTATE 57P01 (admin_shutdown), as when the server dies mid-batch. */
const INJECTED_FAILURE = {
  query: "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '57P01', MESSAGE = 'injected failure'; END $$",
  params: [],
};

/** Postgres error fields the Neon driver copies onto its `NeonDbError`. */
const ERROR_FIELDS = [
  "severity",
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "where",
  "schema",
  "table",
  "column",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A request the endpoint refuses; `code` 08P01 is Postgres's protocol_violation. */
class HttpError extends Error {
  readonly status: number;
  readonly code = "08P01";

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function startSqlOverHttp(backend: SqlBackend, port = 0, host = "127.0.0.1"): Promise<SqlOverHttp> {
  const requestCounts = new Map<string, number>();
  const faults = new Map<string, Fault>();

  async function handleSql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const database = databaseOf(req.headers["neon-connection-string"]);
    requestCounts.set(database, (requestCounts.get(database) ?? 0) + 1);
    const fault = faults.get(database);
    if (fault?.delay_ms) {
      await new Promise((resolve) => setTimeout(resolve, fault.delay_ms));
      // A slow link, not a slow server: a client that gave up meanwhile never reached the database.
      if (res.destroyed || req.socket.destroyed) return;
    }
    if (fault?.down) {
      // Like a server that dies mid-request: the request arrives, no response does.
      await readJson(req).catch(() => undefined);
      req.socket.destroy();
      return;
    }
    if (header(req, "neon-raw-text-output") !== "true") {
      throw new HttpError(400, "only Neon-Raw-Text-Output: true is supported");
    }
    const arrayMode = header(req, "neon-array-mode") === "true";
    const body = (await readJson(req)) as { query?: unknown; params?: unknown; queries?: unknown };
    if (Array.isArray(body.queries)) {
      const statements = body.queries.map(toStatement);
      const failing = fault?.fail_batch_statement;
      if (failing !== undefined && failing < statements.length) statements.splice(failing, 0, INJECTED_FAILURE);
      const results = await backend.batch(database, statements, batchMode(req));
      if (fault?.drop_batch_reply) {
        req.socket.destroy();
        return;
      }
      sendJson(res, 200, { results: results.map((result) => shape(result, arrayMode)) });
    } else {
      sendJson(res, 200, shape(await backend.query(database, toStatement(body)), arrayMode));
    }
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string[]): Promise<void> {
    const [, name, action] = path;
    if (req.method === "POST" && path.length === 1) {
      const body = (await readJson(req)) as { name?: unknown; template?: unknown };
      if (typeof body.name !== "string") throw new HttpError(400, "name is required");
      if (typeof body.template === "string") await backend.copyDatabase(body.template, body.name);
      else await backend.createDatabase(body.name);
      return sendJson(res, 201, { name: body.name });
    }
    if (!name) throw new HttpError(404, "not found");
    if (req.method === "DELETE" && !action) {
      await backend.dropDatabase(name);
      requestCounts.delete(name);
      faults.delete(name);
      return sendJson(res, 204);
    }
    if (req.method === "GET" && action === "stats") {
      return sendJson(res, 200, { sql_requests: requestCounts.get(name) ?? 0 });
    }
    if (action === "fault" && req.method === "PUT") {
      faults.set(name, (await readJson(req)) as Fault);
      return sendJson(res, 204);
    }
    if (action === "fault" && req.method === "DELETE") {
      faults.delete(name);
      return sendJson(res, 204);
    }
    throw new HttpError(404, "not found");
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://local").pathname.split("/").filter(Boolean);
    const handled =
      req.method === "POST" && path.length === 1 && path[0] === "sql"
        ? handleSql(req, res)
        : path[0] === "databases"
          ? handleControl(req, res, path)
          : Promise.reject(new HttpError(404, "not found"));
    handled.catch((error: unknown) => sendError(res, error));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    backend,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await backend.close();
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function databaseOf(connectionString: string | string[] | undefined): string {
  if (typeof connectionString !== "string") throw new HttpError(400, "missing Neon-Connection-String header");
  try {
    const database = decodeURIComponent(new URL(connectionString).pathname.slice(1));
    if (database) return database;
  } catch {
    // fall through to the error below
  }
  throw new HttpError(400, "Neon-Connection-String must be a postgres:// URL naming a database");
}

function batchMode(req: IncomingMessage): BatchMode {
  const isolationLevel = header(req, "neon-batch-isolation-level");
  if (isolationLevel !== undefined && !isIsolationLevel(isolationLevel)) {
    throw new HttpError(400, `unknown Neon-Batch-Isolation-Level ${isolationLevel}`);
  }
  const flag = (name: string) => {
    const value = header(req, name);
    return value === undefined ? undefined : value === "true";
  };
  return { isolationLevel, readOnly: flag("neon-batch-read-only"), deferrable: flag("neon-batch-deferrable") };
}

function toStatement(value: unknown): Statement {
  const { query, params = [] } = (value ?? {}) as { query?: unknown; params?: unknown };
  if (typeof query !== "string") throw new HttpError(400, "query must be a string");
  if (!Array.isArray(params) || !params.every((p) => p === null || typeof p === "string")) {
    throw new HttpError(400, "params must be an array of strings or nulls");
  }
  return { query, params };
}

function shape(result: RawResult, arrayMode: boolean) {
  const rows = arrayMode
    ? result.rows
    : result.rows.map((row) => Object.fromEntries(row.map((value, i) => [result.fields[i]?.name, value])));
  return { ...result, rows, rowAsArray: arrayMode };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, "request body too large");
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  } catch {
    throw new HttpError(400, "request body is not valid JSON");
  }
}

function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) return;
  if (error instanceof HttpError) {
    sendJson(res, error.status, { message: error.message, code: error.code });
    return;
  }
  const fields = error as Record<string, unknown> & { message?: string };
  if (typeof fields.code === "string" && /^[0-9A-Z]{5}$/.test(fields.code)) {
    const body: Record<string, unknown> = { message: fields.message };
    for (const name of ERROR_FIELDS) if (fields[name] !== undefined) body[name] = fields[name];
    sendJson(res, 400, body);
    return;
  }
  // Anything else (backend unreachable, a bug) is the service's failure, not the query's.
  sendJson(res, 503, { message: error instanceof Error ? error.message : String(error) });
}
