/**
 * Property-based fuzzing of every operation in /openapi.json (fast-check): generated
 * path parameters, query strings, bodies (wrong types, huge and unicode strings, deep
 * JSON, missing and extra fields, SQL and header injection strings, the wrong content
 * type) and credentials (none, garbage, a user's token, an admin's, an API key, the
 * admin secret). Every field the document marks `contentEncoding: base64url` also gets
 * each edge of its encoding (lengths of 1 mod 4, padding, the standard alphabet, mixed
 * alphabets, non-zero pad bits, whitespace, empty) in an otherwise well-formed request.
 * For every case: no 5xx, every error a problem+json with a code from the closed set,
 * no secret in the response or in any log line. And the document must say what the
 * server checks: every request its schemas allow is accepted (never a 422
 * `validation_failed`), and every request that breaks one of their constraints is one.
 * FUZZ_RUNS cases per operation (200 by default; .ci/run prints the totals).
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
  type TestUser,
  type TokenPair,
} from "../support/harness.ts";

/** The part of a JSON Schema the fuzz reads. */
interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  enum?: unknown[];
  contentEncoding?: string;
  format?: string;
  formatMinimum?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  maxItems?: number;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: JsonSchema;
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
  /** Path and query parameters, as the document declares them. */
  parameters: Parameter[];
  /** The OpenAPI security schemes any one of which the operation takes. */
  securitySchemes: string[];
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
        parameters?: Parameter[];
        security?: Record<string, string[]>[];
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
      parameters: operation.parameters ?? [],
      securitySchemes: (operation.security ?? []).flatMap(Object.keys),
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

/* The document says what the server checks: what its schemas allow passes validation, what they forbid does not. */

/** `a` and `b` both: their properties and their required fields together. */
const merged = (a: JsonSchema, b: JsonSchema): JsonSchema => ({
  ...a,
  ...b,
  ...((a.properties || b.properties) && { properties: { ...a.properties, ...b.properties } }),
  required: [...(a.required ?? []), ...(b.required ?? [])],
});

/** `schema` with its `$ref` and `allOf` resolved. */
function flattened(schema: JsonSchema): JsonSchema {
  const { allOf, ...own } = resolved(schema);
  return (allOf ?? []).map(flattened).reduce(merged, own);
}

/** The shapes `schema` allows: one per `anyOf` or `oneOf` branch, each with the fields beside it. */
function shapes(schema: JsonSchema): JsonSchema[] {
  const { anyOf, oneOf, ...base } = flattened(schema);
  const branches = anyOf ?? oneOf;
  return branches ? branches.map((branch) => merged(base, flattened(branch))) : [base];
}

/** The shape a valid `value` took: the first whose required fields it has. */
const shapeOf = (schema: JsonSchema, value: Record<string, unknown>): JsonSchema =>
  shapes(schema).find((shape) => (shape.required ?? []).every((name) => name in value)) ?? flattened(schema);

const codePoints = (text: string) => [...text].length;

/**
 * Texts at the edges of what a string schema allows: surrounding whitespace, astral
 * characters, the longest, and a NUL (which the server refuses in any string, so a schema
 * that allows it is wrong).
 */
const textEdges = ({ maxLength = 64 }: JsonSchema) => [
  " padded\t",
  "a\u0000b",
  "é𝕳😀",
  "x".repeat(maxLength),
  "😀".repeat(maxLength),
  `${" ".repeat(maxLength - 1)}x`,
];

/**
 * Texts `schema` allows: its pattern's, filtered by its lengths, and those of its edges
 * it allows. A date is from `formatMinimum` to today (what `emp_dob`'s description says:
 * JSON Schema cannot name a day that moves); every date-time of a case is the same
 * instant, as `since` ≤ `until` is a rule between two parameters that JSON Schema cannot state.
 */
function validText(schema: JsonSchema): fc.Arbitrary<string> {
  const { format, formatMinimum, pattern, minLength = 0, maxLength = 64 } = schema;
  if (format === "uuid") return fc.uuid();
  if (format === "date") {
    return fc
      .date({ min: new Date(formatMinimum ?? "1900-01-01"), max: new Date(), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
  }
  if (format === "date-time") return fc.constant("2026-01-01T00:00:00Z");
  const fits = (text: string) =>
    codePoints(text) >= minLength && codePoints(text) <= maxLength && (!pattern || new RegExp(pattern).test(text));
  const generated = pattern
    ? fc.stringMatching(new RegExp(pattern)).filter(fits)
    : fc.string({ unit: "binary", minLength, maxLength: Math.min(maxLength, 64) });
  const edges = textEdges(schema).filter(fits);
  return edges.length > 0 ? fc.oneof(generated, fc.constantFrom(...edges)) : generated;
}

/** Values `schema` allows; of an object, without the fields another `anyOf`/`oneOf` branch requires. */
function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  const options = shapes(schema);
  return fc.oneof(
    ...options.map((shape) =>
      validOfShape(
        shape,
        options.filter((other) => other !== shape).flatMap((other) => other.required ?? []),
      ),
    ),
  );
}

function validOfShape(shape: JsonSchema, excluded: string[]): fc.Arbitrary<unknown> {
  const { type, properties, required = [], enum: values, items } = shape;
  const types = [type ?? []].flat();
  if (values) return fc.constantFrom(...values);
  if (types.includes("null"))
    return fc.option(validOfShape({ ...shape, type: types.filter((t) => t !== "null") }, excluded), { nil: null });
  if (properties) {
    const names = Object.keys(properties).filter((name) => required.includes(name) || !excluded.includes(name));
    return fc.record(Object.fromEntries(names.map((name) => [name, validValue(properties[name] ?? {})])), {
      requiredKeys: required,
    });
  }
  if (types.includes("array"))
    return fc.array(validValue(items ?? {}), { maxLength: Math.min(shape.maxItems ?? 3, 3) });
  if (types.includes("integer"))
    return fc.integer({ min: shape.minimum ?? -1_000_000, max: shape.maximum ?? 1_000_000 });
  if (types.includes("boolean")) return fc.boolean();
  return validText(shape);
}

/** A request as the document describes it: path and query parameters (text), and a body. */
interface DocumentedRequest {
  path: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
}

const asText = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** Requests `operation`'s parameters and body schema allow. */
function validRequest(operation: Operation): fc.Arbitrary<DocumentedRequest> {
  const parameters = (where: string) =>
    fc.record(
      Object.fromEntries(
        operation.parameters
          .filter((parameter) => parameter.in === where)
          .map((parameter) => [parameter.name, validValue(parameter.schema ?? {}).map(asText)]),
      ),
      {
        requiredKeys: operation.parameters.filter((p) => p.in === where && p.required).map((p) => p.name),
      },
    ) as fc.Arbitrary<Record<string, string>>;
  return fc.record({
    path: parameters("path"),
    query: parameters("query"),
    body: operation.bodySchema ? validValue(operation.bodySchema) : fc.constant(undefined),
  });
}

/** One constraint of the document broken: where, how, and the value put there (or the field taken away). */
interface Breaking {
  in: "path" | "query" | "body";
  at: (string | number)[];
  how: string;
  value: unknown;
}

const MISSING = Symbol("missing");

/**
 * Each way to break one constraint the document states of `value`'s field: missing while
 * required, a wrong type, a text too long (also in whitespace a trim would remove) or too
 * short, a NUL, outside its enum, an integer out of range, not whole or (as text) not
 * decimal, too many items. A `textual` value (a parameter, a form field) has no wrong type but text.
 */
function valueBreakings(schema: JsonSchema, value: unknown, required: boolean, textual: boolean) {
  const { type, enum: values, maxLength, minLength, maximum, minimum, maxItems } = flattened(schema);
  const found: [string, unknown][] = required ? [["missing", MISSING]] : [];
  if (!textual && ![type].flat().includes("null")) found.push(["null", null]);
  if (typeof value === "string") {
    if (!textual) found.push(["a number for a string", 1]);
    found.push(["an extra NUL", `${value}\u0000`]);
    if (values) found.push(["outside the enum", `${value}-not`]);
    if (maxLength !== undefined) {
      found.push(
        ["too long", "x".repeat(maxLength + 1)],
        ["too long as sent, not once trimmed", `${" ".repeat(maxLength)}x`],
      );
    }
    if (minLength) found.push(["too short", "x".repeat(minLength - 1)]);
  }
  if (typeof value === "number") {
    if (maximum !== undefined) found.push(["above the maximum", maximum + 1]);
    if (minimum !== undefined) found.push(["below the minimum", minimum - 1]);
    found.push(["not whole", value + 0.5]);
    const forms = [`0x${value.toString(16)}`, `${value}e0`, `${value}.0`, `+${value}`, `0${value}`, ` ${value}`, ""];
    if (textual) for (const form of forms) found.push([`not decimal (${JSON.stringify(form)})`, form]);
    else found.push(["a string for an integer", String(value)]);
  }
  if (typeof value === "boolean" && !textual) found.push(["a string for a boolean", String(value)]);
  if (Array.isArray(value)) {
    found.push(["an object for an array", {}]);
    if (maxItems !== undefined) found.push(["too many items", Array(maxItems + 1).fill(value[0] ?? "x")]);
  }
  return found;
}

/**
 * The breakings of a valid body and of every field in it, nested ones too; of an object,
 * also the field of a `oneOf` branch that only requires it beside another's (as `code`
 * and `recovery_code`), and an unknown field in a closed one.
 */
function bodyBreakings(schema: JsonSchema, value: unknown, textual: boolean, at: (string | number)[] = []): Breaking[] {
  const inside = (item: unknown, field: JsonSchema, key: string | number, required: boolean): Breaking[] => [
    ...valueBreakings(field, item, required, textual).map(([how, broken]) => ({
      in: "body" as const,
      at: [...at, key],
      how,
      value: broken,
    })),
    ...bodyBreakings(field, item, textual, [...at, key]),
  ];
  if (Array.isArray(value))
    return value.flatMap((item, index) => inside(item, flattened(schema).items ?? {}, index, false));
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  const shape = shapeOf(schema, record);
  const exclusive = (flattened(schema).oneOf ?? []).filter((branch) => Object.keys(branch).join() === "required");
  const added = (how: string, name: string, item: unknown): Breaking => ({
    in: "body",
    at: [...at, name],
    how,
    value: item,
  });
  return [
    ...exclusive.flatMap((branch) =>
      (branch.required ?? [])
        .filter((name) => !(name in record))
        .map((name) =>
          added(`another oneOf branch's ${name} too`, name, minimalValue(shape.properties?.[name] ?? {}, "AA")),
        ),
    ),
    ...(shape.additionalProperties === false ? [added("an unknown field", "unknown_field", 1)] : []),
    ...Object.entries(record).flatMap(([name, item]) =>
      inside(item, shape.properties?.[name] ?? {}, name, (shape.required ?? []).includes(name)),
    ),
  ];
}

/** Every breaking of a valid request: of its path and query parameters (texts) and of its body. */
function breakingsOf(operation: Operation, valid: DocumentedRequest): Breaking[] {
  const ofParameters = (where: "path" | "query", values: Record<string, string>) =>
    operation.parameters
      .filter((parameter) => parameter.in === where && parameter.name in values)
      .flatMap((parameter) => {
        const schema = flattened(parameter.schema ?? {});
        const text = values[parameter.name] as string;
        // A parameter's value is text; the breakings of an integer start from its number.
        const value = [schema.type].flat().includes("integer") ? Number(text) : text;
        // A path without its parameter, or with it empty, is another route.
        const required = where === "query" && parameter.required === true;
        return valueBreakings(schema, value, required, true)
          .filter(([, broken]) => where === "query" || broken !== "")
          .map(([how, broken]) => ({ in: where, at: [parameter.name], how, value: broken }));
      });
  return [
    ...ofParameters("path", valid.path),
    ...ofParameters("query", valid.query),
    ...(operation.bodySchema ? bodyBreakings(operation.bodySchema, valid.body, isForm(operation)) : []),
  ];
}

const isForm = (operation: Operation) => operation.contentTypes[0] === "application/x-www-form-urlencoded";

/** `valid` with `breaking` applied. */
function broken(valid: DocumentedRequest, breaking: Breaking): DocumentedRequest {
  const copy = structuredClone(valid);
  let parent: Record<string | number, unknown> = breaking.in === "body" ? (copy as never) : copy[breaking.in];
  const path = breaking.in === "body" ? ["body", ...breaking.at] : breaking.at;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (breaking.value === MISSING) delete parent[last];
  else parent[last] = breaking.in === "body" ? breaking.value : asText(breaking.value);
  return copy;
}

/**
 * Credentials the operation's access lets through, so that what answers is its validation
 * (a fresh admin session per operation: the routes that want a recent login get one).
 */
function credentialsFor(operation: Operation, accessToken: string): Record<string, string> {
  if (operation.securitySchemes.includes("bearerAuth")) return bearer(accessToken);
  if (operation.securitySchemes.includes("apiKey")) return { "x-api-key": apiKey };
  return {};
}

/** `documented` as sent: the path filled in, the query string, the body in the operation's first content type. */
function send(operation: Operation, documented: DocumentedRequest, headers: Record<string, string>) {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(documented.path[name] ?? ""),
  );
  const query = new URLSearchParams(documented.query).toString();
  const body =
    documented.body === undefined
      ? undefined
      : isForm(operation)
        ? new URLSearchParams(documented.body as Record<string, string>).toString()
        : JSON.stringify(documented.body);
  return request(`${path}${query ? `?${query}` : ""}`, {
    method: operation.method,
    headers: {
      ...headers,
      ...(body === undefined ? {} : { "Content-Type": operation.contentTypes[0] as string }),
      "CF-Connecting-IP": freshIp(),
    },
    body,
  });
}

/** What refuses a request for its shape, rather than for what it asks. */
const INPUT_REFUSALS = new Set([
  "validation_failed",
  "malformed_request",
  "unsupported_media_type",
  "payload_too_large",
]);

/**
 * The one refusal as `validation_failed` that no schema can state, as its limit is this
 * deployment's: a user's own key faster than API_KEY_USER_MAX_RATE_LIMIT_PER_MINUTE
 * (src/services/api-keys.ts). Issue 25 point 18: to become a documented domain error.
 */
const refusedByConfiguration = (operation: Operation, problem: { errors?: { path: string }[] }) =>
  operation.method === "POST" &&
  operation.path === "/v1/keys" &&
  problem.errors?.every((error) => error.path === "rate_limit_per_minute") === true;

const withInputs = operations.filter(
  (operation) => operation.parameters.length > 0 || operation.bodySchema !== undefined,
);

describe(`fuzz: what the document allows is accepted, what it forbids refused; ${RUNS} cases each`, () => {
  let adminLogin: Pick<TestUser, "email" | "password">;

  beforeAll(async () => {
    adminLogin = await createAdmin();
  }, 60_000);

  it.each(withInputs.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    "%s",
    async (_name, operation) => {
      const headers = credentialsFor(operation, (await login(adminLogin)).access_token);
      await fc.assert(
        fc.asyncProperty(validRequest(operation), fc.nat(), async (valid, pick) => {
          const accepted = await send(operation, valid, headers);
          const acceptedText = await accepted.text();
          expectSafe(operation, accepted, acceptedText);
          if (accepted.status >= 400) {
            const problem = JSON.parse(acceptedText) as { code: string; errors?: { path: string }[] };
            const refusedInput = INPUT_REFUSALS.has(problem.code) && !refusedByConfiguration(operation, problem);
            expect(refusedInput, `${JSON.stringify(valid)} is allowed: ${acceptedText}`).toBe(false);
          }
          const breakings = breakingsOf(operation, valid);
          if (breakings.length === 0) return;
          const breaking = breakings[pick % breakings.length] as Breaking;
          const refused = await send(operation, broken(valid, breaking), headers);
          const refusedText = await refused.text();
          const where = `${breaking.in} ${breaking.at.join(".")}: ${breaking.how}`;
          expect(refused.status, `${where} is forbidden: ${refusedText}`).toBe(422);
          expect((JSON.parse(refusedText) as { code: string }).code).toBe("validation_failed");
        }),
        { numRuns: RUNS },
      );
    },
    600_000,
  );
});
