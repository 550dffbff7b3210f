/**
 * Property-based fuzzing of every operation in /openapi.json (fast-check): generated
 * path parameters, query strings, bodies (wrong types, huge and unicode strings, deep
 * JSON, missing and extra fields, SQL and header injection strings, the wrong content
 * type) and credentials (none, garbage, a user's token, an admin's, an API key, the
 * admin secret). Every field the document marks `contentEncoding: base64url` also gets
 * each edge of its encoding (lengths of 1 mod 4, padding, the standard alphabet, mixed
 * alphabets, non-zero pad bits, whitespace, empty) in an otherwise well-formed request.
 * For every case: no 5xx, every error a problem+json with a code from the closed set,
 * no secret in the response or in any log line. FUZZ_RUNS cases per operation (200 by
 * default; .ci/run prints the totals).
 */
import { env } from "cloudflare:test";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { toBase64, toBase64Url } from "../../src/core/encoding.ts";
import { ERROR_CODES } from "../../src/core/errors.ts";
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

/** The part of a JSON Schema the fuzz reads. */
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  contentEncoding?: string;
}

/** A field whose value is bytes in base64url: a query parameter, or a path into the JSON body. */
interface EncodedField {
  in: "query" | "body";
  path: string[];
}

interface Operation {
  method: string;
  path: string;
  /** The problem codes the operation's OpenAPI responses document, by status. */
  documentedCodes: Map<number, Set<string>>;
  queryNames: string[];
  bodySchema: JsonSchema | undefined;
  bodyProperties: string[] | undefined;
  contentTypes: string[];
  encodedFields: EncodedField[];
}

const RUNS = Number(env.FUZZ_RUNS ?? 200);
/** Requests with encoded fields per field, each sent at every edge: enough that every credential kind comes up. */
const ENCODING_RUNS = Math.max(20, Math.ceil(RUNS / 10));
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
        parameters?: { in: string; name: string; schema?: JsonSchema }[];
        requestBody?: { content: Record<string, { schema?: JsonSchema }> };
        responses: Record<string, { content?: Record<string, { schema?: ProblemSchemaDocument }> }>;
      }
    >
  >;
  components: { schemas: Record<string, JsonSchema> };
};

/** `schema`, or the component its `$ref` names. */
const resolved = (schema: JsonSchema): JsonSchema =>
  schema.$ref ? (document.components.schemas[schema.$ref.split("/").at(-1) as string] ?? {}) : schema;

/** The paths of every base64url field in `schema`, nested objects included. */
function encodedPaths(schema: JsonSchema, path: string[] = []): string[][] {
  const { contentEncoding, properties = {} } = resolved(schema);
  if (contentEncoding === "base64url") return [path];
  return Object.entries(properties).flatMap(([name, property]) => encodedPaths(property, [...path, name]));
}

/**
 * The smallest body of `schema`'s shape: its required fields only, an enum at its first
 * value, encoded fields as `encoded`, other strings "fuzz", numbers 1, arrays empty.
 */
function minimalValue(schema: JsonSchema, encoded: string): unknown {
  const { type, properties, required = [], enum: values, contentEncoding } = resolved(schema);
  if (values) return values[0];
  if (contentEncoding === "base64url") return encoded;
  const types = [type].flat();
  if (properties)
    return Object.fromEntries(required.map((name) => [name, minimalValue(properties[name] ?? {}, encoded)] as const));
  if (types.includes("array")) return [];
  if (types.includes("integer") || types.includes("number")) return 1;
  if (types.includes("boolean")) return true;
  return "fuzz";
}

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
    const properties = schema && resolved(schema).properties;
    const query = (operation.parameters ?? []).filter((p) => p.in === "query");
    return {
      method: method.toUpperCase(),
      path,
      documentedCodes: documentedCodes(operation.responses),
      queryNames: query.map((p) => p.name),
      bodySchema: schema,
      bodyProperties: properties ? Object.keys(properties) : operation.requestBody ? [] : undefined,
      contentTypes: Object.keys(content),
      encodedFields: [
        ...query.filter((p) => p.schema?.contentEncoding === "base64url").map((p) => ({ in: "query", path: [p.name] })),
        ...(schema ? encodedPaths(schema).map((fieldPath) => ({ in: "body", path: fieldPath })) : []),
      ] as EncodedField[],
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
    fc.array(
      fc.oneof(
        plausible,
        fc.constantFrom(
          "2026-11-24T10:00:00.123456Z",
          "1990-02-30",
          "2026-11-24T99:99:99.000000Z",
          "2026-11-24T23:60:00.000000Z",
          "0000-01-01",
        ),
        nasty,
      ),
      {
        maxLength: 3,
      },
    ),
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

/** No 5xx; an error is a problem+json with a code the operation documents; no secret in the body. */
function expectSafe(operation: Operation, response: Response, text: string) {
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
}

/** A non-zero bit where canonical base64url has only zero pad bits (its last symbol's low bits). */
function withPadBitSet(text: string): string {
  if (text.length % 4 === 0) return `${text}AB`;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return `${text.slice(0, -1)}${alphabet[alphabet.indexOf(text.at(-1) as string) + 1]}`;
}

/**
 * Each way a base64url text can be off its canonical form, and the form itself: decoders
 * differ on these (`atob` throws on a length of 1 mod 4, and lets padding, the standard
 * alphabet, whitespace and non-zero pad bits through).
 */
const ENCODING_EDGES: Record<string, (bytes: Uint8Array) => string> = {
  canonical: toBase64Url,
  "a length of 1 mod 4": (bytes) => {
    const text = toBase64Url(bytes);
    return `${text}${"A".repeat((5 - (text.length % 4)) % 4)}`;
  },
  padding: (bytes) => {
    const text = toBase64Url(bytes);
    return text.padEnd(Math.ceil((text.length + 1) / 4) * 4, "=");
  },
  "the standard alphabet": (bytes) => toBase64(new Uint8Array([0xfb, 0xff, 0xbf, ...bytes])),
  "mixed alphabets": (bytes) => `-_+/${toBase64Url(bytes)}`,
  "non-zero pad bits": (bytes) => withPadBitSet(toBase64Url(bytes)),
  whitespace: (bytes) => `${toBase64Url(bytes)}\n`,
  empty: () => "",
};

/** Each encoded field of each operation, to send at every edge of its encoding. */
const encodedFields = operations.flatMap((operation) =>
  operation.encodedFields.map(
    (field) => [`${operation.method} ${operation.path} ${field.path.join(".")}`, operation, field] as const,
  ),
);

/**
 * `operation`'s request with `field` at `value`: path parameters `id`, the smallest body
 * of the operation's schema (other encoded fields canonical), JSON.
 */
function requestWithField(operation: Operation, field: EncodedField, value: string, id: string, canonical: string) {
  const path = operation.path.replace(/\{[^}]+\}/g, id);
  if (field.in === "query") return { url: `${path}?${new URLSearchParams({ [field.path[0] as string]: value })}` };
  const body = minimalValue(operation.bodySchema ?? {}, canonical) as Record<string, unknown>;
  let parent = body;
  for (const name of field.path.slice(0, -1)) parent = parent[name] as Record<string, unknown>;
  parent[field.path.at(-1) as string] = value;
  return { url: path, body: JSON.stringify(body) };
}

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
            expectSafe(operation, response, await response.text());
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

describe(`fuzz: every encoded field at every edge of base64url, ${ENCODING_RUNS} cases each`, () => {
  it.each(encodedFields)(
    "%s",
    async (_name, operation, field) => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 64 }),
          fc.uint8Array({ minLength: 1, maxLength: 32 }),
          fc.uuid().map((id) => id.toLowerCase()),
          fc.constantFrom(...credentialKinds),
          async (bytes, other, id, credentials) => {
            for (const edge of Object.values(ENCODING_EDGES)) {
              const { url, body } = requestWithField(operation, field, edge(bytes), id, toBase64Url(other));
              const response = await request(url, {
                method: operation.method,
                headers: {
                  ...headersFor(credentials),
                  ...(body === undefined ? {} : { "Content-Type": "application/json" }),
                  "CF-Connecting-IP": freshIp(),
                },
                body,
              });
              expectSafe(operation, response, await response.text());
            }
          },
        ),
        { numRuns: ENCODING_RUNS },
      );
    },
    600_000,
  );
});
