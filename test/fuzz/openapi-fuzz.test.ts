/**
 * Property-based fuzzing of every operation in /openapi.json (fast-check): generated
 * path parameters, query strings, bodies (wrong types, huge and unicode strings, deep
 * JSON, missing and extra fields, SQL and header injection strings, the wrong content
 * type) and credentials (none, garbage, a user's token, an admin's, an API key, the
 * admin secret). For every case: no 5xx, every error a problem+json with a code from
 * the closed set, no secret in the response or in any log line. FUZZ_RUNS cases per
 * operation (200 by default; .ci/run prints the totals).
 */
import { env } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { toBase64Url } from "../../src/crypto/encoding.ts";
import { ERROR_CODES } from "../../src/errors.ts";
import {
  adminSecret,
  bearer,
  createAdmin,
  createKey,
  createUser,
  freshIp,
  login,
  logLines,
  request,
  type TokenPair,
} from "../support/harness.ts";

interface Operation {
  method: string;
  path: string;
  /** The problem codes the operation's OpenAPI responses document, by status. */
  documentedCodes: Map<number, Set<string>>;
  queryNames: string[];
  bodyProperties: string[] | undefined;
  contentTypes: string[];
}

const RUNS = Number(env.FUZZ_RUNS ?? 200);
// The document /openapi.json serves, built directly: a request at import time would fix
// this isolate's configuration before the per-file database is set up.
const document = createApp().getOpenAPI31Document({
  openapi: "3.1.0",
  info: { title: "Gatehouse", version: "fuzz" },
}) as unknown as {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string }[];
        requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
        responses: Record<string, { content?: Record<string, { schema?: ProblemSchemaDocument }> }>;
      }
    >
  >;
};

interface ProblemSchemaDocument {
  properties?: { code?: { enum?: string[] } };
  /** `Problem` narrowed to the status's codes: `[{$ref: Problem}, {properties: {code: {enum}}}]`. */
  allOf?: ProblemSchemaDocument[];
}

const codeEnum = (schema: ProblemSchemaDocument | undefined): string[] =>
  schema?.properties?.code?.enum ?? (schema?.allOf ?? []).flatMap(codeEnum);

/** The `code` enum of each status's problem schema, as `problemResponses` writes it. */
function documentedCodes(responses: Record<string, { content?: Record<string, { schema?: ProblemSchemaDocument }> }>) {
  return new Map(
    Object.entries(responses).map(([status, response]) => [
      Number(status),
      new Set(codeEnum(response.content?.["application/problem+json"]?.schema)),
    ]),
  );
}

const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => {
    const content = operation.requestBody?.content ?? {};
    const schema = Object.values(content)[0]?.schema;
    return {
      method: method.toUpperCase(),
      path,
      documentedCodes: documentedCodes(operation.responses),
      queryNames: (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
      bodyProperties: schema?.properties ? Object.keys(schema.properties) : operation.requestBody ? [] : undefined,
      contentTypes: Object.keys(content),
    };
  }),
);

/** Values chosen to break things, mixed with a few plausible ones so validation sometimes passes. */
const INJECTIONS = [
  "' OR '1'='1' --",
  "'; DROP TABLE users; --",
  "emp_name; DROP TABLE employees",
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-style probe, meant literally
  "${jndi:ldap://x}",
  "../../../../etc/passwd",
  "%00%0d%0aSet-Cookie: a=b",
  "\u0000\u0001\u202e",
  "𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧‍👦 🇳🇱",
  "gate_1111111111111111111111111111111111111111",
];
const deepJson = (depth: number): unknown => (depth === 0 ? "bottom" : { nested: deepJson(depth - 1) });
const plausible = fc.oneof(
  fc.constantFrom("1990-01-01", "2999-12-31", "admin", "user", "notes:read", "asc", "desc", "emp_name", "true"),
  fc.uuid().map((id) => id.toLowerCase()),
  fc.emailAddress(),
  fc.integer({ min: -5, max: 100_005 }),
  fc.string({ minLength: 8, maxLength: 40 }),
);
const nasty: fc.Arbitrary<unknown> = fc.oneof(
  plausible,
  fc.constantFrom(...INJECTIONS),
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.constantFrom("x".repeat(20_000), "é".repeat(5_000)),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom([], {}, [1, "a", null], deepJson(40)),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }),
);
// A URL cannot carry `.` or `..` as a path segment (parsing removes them, and the request
// is then for another route), so they are no values of a path parameter.
const pathValue = fc
  .oneof(
    fc.uuid().map((id) => id.toLowerCase()),
    fc.integer({ min: -10, max: 3_000_000_000 }).map(String),
    fc.constantFrom(...INJECTIONS, "x".repeat(2_000), "%2e%2e", "0", "-1"),
    fc.string({ maxLength: 30 }),
  )
  .filter((value) => value !== "." && value !== "..");

type Credentials = "none" | "garbage" | "user" | "admin" | "key" | "secret" | "cookie";
const credentialKinds: Credentials[] = ["none", "garbage", "user", "admin", "key", "secret", "cookie"];

let user: { password: string; tokens: TokenPair };
let admin: { tokens: TokenPair };
let apiKey: string;
let secrets: string[];

beforeAll(async () => {
  const account = await createUser();
  user = { password: account.password, tokens: await login(account) };
  admin = await createAdmin();
  apiKey = (await createKey(admin.tokens.access_token, { name: "fuzz", never_expires: true })).key;
  const signingKey = JSON.parse(env.JWT_PRIVATE_KEY) as { d: string };
  secrets = [
    user.password,
    user.tokens.refresh_token,
    admin.tokens.refresh_token,
    apiKey,
    env.ADMIN_SECRET,
    signingKey.d,
  ];
}, 60_000);

function headersFor(kind: Credentials): Record<string, string> {
  switch (kind) {
    case "none":
      return {};
    case "garbage":
      return { Authorization: "Bearer not.a.token", "x-api-key": "gate_garbage" };
    case "user":
      return bearer(user.tokens.access_token);
    case "admin":
      return bearer(admin.tokens.access_token);
    case "key":
      return { "x-api-key": apiKey };
    case "secret":
      return adminSecret();
    case "cookie":
      return { Cookie: `gatehouse_access=${user.tokens.access_token}`, Origin: "https://evil.example" };
  }
}

/**
 * Cursors shaped like real ones (base64url JSON of a list tag, a direction and key
 * values) carrying wrong or hostile values: each must be a 400 or a page of the
 * caller's own rows, never a 5xx.
 */
const forgedCursor = fc
  .tuple(
    fc.constantFrom("notes", "keys", "usage", "users", "employees:emp_name:asc", "employees:emp_dob:desc"),
    fc.constantFrom("after", "before", "sideways"),
    fc.array(fc.oneof(plausible, fc.constantFrom("2026-11-24T10:00:00.123456Z", "1990-02-30"), nasty), {
      maxLength: 3,
    }),
  )
  .map(([tag, travel, values]) => toBase64Url(new TextEncoder().encode(JSON.stringify([tag, travel, ...values]))));

/** SHA-256 of the development RP ID, `localhost`: authenticator data that passes the RP check. */
const LOCALHOST_RP_HASH = Uint8Array.from(
  "49960de5880e8c687434170f6476605b8fe4aeb9a28632c7995cf3ba831d9763".match(/../g) ?? [],
  (byte) => Number.parseInt(byte, 16),
);
const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map(toBase64Url);
const json = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));

/**
 * WebAuthn credentials shaped like a browser's `PublicKeyCredential.toJSON()`, with
 * client data and authenticator data that pass the first checks (origin, RP ID, flags)
 * and hostile rest: each must be a 4xx, never a 5xx.
 */
const forgedPasskeyCredential = fc.record({
  id: fc.oneof(bytes(64), nasty),
  type: fc.constantFrom("public-key", "password"),
  response: fc.record({
    clientDataJSON: fc.oneof(
      fc
        .record({
          type: fc.constantFrom("webauthn.create", "webauthn.get", "payment.get"),
          challenge: fc.oneof(bytes(48), nasty),
          origin: fc.constantFrom("http://localhost:8787", "https://evil.example", ""),
          crossOrigin: fc.boolean(),
        })
        .map(json),
      bytes(200),
    ),
    attestationObject: bytes(400),
    authenticatorData: fc
      .tuple(fc.constantFrom(0x05, 0x1d, 0x45, 0x00, 0xff), fc.uint8Array({ maxLength: 120 }))
      .map(([flags, rest]) => toBase64Url(new Uint8Array([...LOCALHOST_RP_HASH, flags, ...rest]))),
    signature: bytes(80),
    userHandle: fc.option(bytes(40)),
  }),
});

const caseOf = (operation: Operation) =>
  fc.record({
    params: fc.array(pathValue, { minLength: 3, maxLength: 3 }),
    query: fc.dictionary(
      fc.constantFrom(...operation.queryNames, "extra", "api_key"),
      fc.oneof(fc.string({ maxLength: 50 }), forgedCursor),
      { maxKeys: 4 },
    ),
    body: fc.oneof(
      fc.dictionary(fc.constantFrom(...(operation.bodyProperties ?? []), "role", "is_superuser", "__proto__"), nasty, {
        maxKeys: 6,
      }),
      fc.record({ response: forgedPasskeyCredential, flow: fc.constantFrom("bearer", "cookie"), name: nasty }),
      nasty,
    ),
    encoding: fc.constantFrom("json", "json", "form", "malformed", "text", "deep"),
    credentials: fc.constantFrom(...credentialKinds),
  });

function encode(body: unknown, encoding: string, hasBody: boolean): { body?: string; headers: Record<string, string> } {
  if (!hasBody) return { headers: {} };
  switch (encoding) {
    case "form":
      return {
        body: new URLSearchParams(
          Object.entries(typeof body === "object" && body !== null ? body : { value: body }).map(([k, v]) => [
            k,
            typeof v === "string" ? v : (JSON.stringify(v) ?? ""),
          ]),
        ).toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      };
    case "malformed":
      return { body: '{"unterminated": ', headers: { "Content-Type": "application/json" } };
    case "text":
      return { body: "plain text", headers: { "Content-Type": "text/plain" } };
    case "deep":
      return { body: `${"[".repeat(5_000)}${"]".repeat(5_000)}`, headers: { "Content-Type": "application/json" } };
    default:
      return { body: JSON.stringify(body) ?? "null", headers: { "Content-Type": "application/json" } };
  }
}

const CODES = new Set(Object.keys(ERROR_CODES));

describe(`fuzz: ${RUNS} cases per operation`, () => {
  it.each(operations.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    "%s",
    async (_name, operation) => {
      const lines = await logLines(() =>
        fc.assert(
          fc.asyncProperty(caseOf(operation), async (fuzzCase) => {
            let index = 0;
            const path = operation.path.replace(/\{[^}]+\}/g, () =>
              encodeURIComponent(fuzzCase.params[index++ % 3] as string),
            );
            const query = new URLSearchParams(fuzzCase.query).toString();
            const { body, headers } = encode(fuzzCase.body, fuzzCase.encoding, operation.bodyProperties !== undefined);
            const response = await request(`${path}${query ? `?${query}` : ""}`, {
              method: operation.method,
              headers: { ...headersFor(fuzzCase.credentials), ...headers, "CF-Connecting-IP": freshIp() },
              body,
            });
            const text = await response.text();
            expect(response.status, text).toBeLessThan(500);
            if (response.status >= 400) {
              expect(response.headers.get("Content-Type")).toBe("application/problem+json");
              const problem = JSON.parse(text) as { code: string; status: number };
              expect(CODES.has(problem.code), problem.code).toBe(true);
              expect(problem.status).toBe(response.status);
              const documented = operation.documentedCodes.get(response.status) ?? new Set();
              expect(documented.has(problem.code), `${problem.code} (${response.status}) is not documented`).toBe(true);
            }
            for (const secret of secrets) expect(text.includes(secret)).toBe(false);
          }),
          { numRuns: RUNS },
        ),
      );
      const printed = JSON.stringify(lines);
      for (const secret of secrets) expect(printed.includes(secret)).toBe(false);
    },
    600_000,
  );
});
