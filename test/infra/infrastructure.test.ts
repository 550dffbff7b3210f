import { describe, expect, it, vi } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { createApp } from "../../src/app.ts";
import { expectProblem, injectFault, request, requestApp } from "../support/harness.ts";

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-permitted-cross-domain-policies": "none",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
  "cross-origin-resource-policy": "same-origin",
};

/** What only an HTML document needs; the JSON responses skip them (each header costs a native call). */
const DOCUMENT_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-xss-protection": "0",
};

describe("infrastructure routes", () => {
  it("GET / names the service and links the docs", async () => {
    const response = await request("/");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      name: "gatehouse",
      version: pkg.version,
      docs: "/docs",
      openapi: "/openapi.json",
      health: "/health",
    });
  });

  it("GET /health answers without touching the database", async () => {
    const fault = await injectFault({ down: true });
    try {
      const response = await request("/health");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
    } finally {
      await fault.heal();
    }
  });

  it("GET /health/ready reports the database", async () => {
    const response = await request("/health/ready");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("GET /health/ready is 503 database_unavailable while the database endpoint is down", async () => {
    const fault = await injectFault({ down: true });
    try {
      await expectProblem(await request("/health/ready"), 503, "database_unavailable");
    } finally {
      await fault.heal();
    }
    expect((await request("/health/ready")).status).toBe(200);
  });

  it("GET /health/ready is 503 when the database is slower than DATABASE_TIMEOUT_MS", async () => {
    const fault = await injectFault({ delay_ms: 7_000 });
    const started = Date.now();
    try {
      await expectProblem(await request("/health/ready"), 503, "database_unavailable");
    } finally {
      await fault.heal();
    }
    expect(Date.now() - started).toBeLessThan(6_900);
  }, 20_000);

  it("GET /.well-known/security.txt follows RFC 9116", async () => {
    const response = await request("/.well-known/security.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^Contact: mailto:\S+$/m);
    const expires = /^Expires: (.+)$/m.exec(text)?.[1];
    const expiresAt = Date.parse(expires ?? "");
    expect(expiresAt).toBeGreaterThan(Date.now());
    expect(expiresAt).toBeLessThan(Date.now() + 366 * 86_400_000);
    expect(text).toMatch(/^Canonical: https:\/\/gatehouse\.test\/\.well-known\/security\.txt$/m);
  });

  it("GET /docs serves Swagger UI whose assets come from the Worker itself", async () => {
    const page = await request("/docs");
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? "");
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset.startsWith("/docs/")).toBe(true);
      const response = await request(asset);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(100);
    }
    expect(page.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
    await expectProblem(await request("/docs/swagger-ui/package.json"), 404, "not_found");
  });
});

describe("every response", () => {
  it.each(["/", "/health", "/openapi.json", "/docs", "/v1/nothing-here"])(
    "%s carries the security headers",
    async (path) => {
      const response = await request(path);
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        expect(response.headers.get(name), name).toBe(value);
    },
  );

  it("on the HTML documents, also the document headers", async () => {
    for (const path of ["/docs", "/docs/swagger-ui/oauth2-redirect.html"]) {
      const response = await request(path);
      for (const [name, value] of Object.entries(DOCUMENT_HEADERS))
        expect(response.headers.get(name), name).toBe(value);
    }
    const json = await request("/health");
    for (const name of Object.keys(DOCUMENT_HEADERS)) expect(json.headers.has(name), name).toBe(false);
  });

  it("is no-store unless the route opts in", async () => {
    expect((await request("/health")).headers.get("Cache-Control")).toBe("no-store");
    expect((await request("/v1/nothing-here")).headers.get("Cache-Control")).toBe("no-store");
    expect((await request("/docs/swagger-ui/swagger-ui.css")).headers.get("Cache-Control")).toBe(
      "public, max-age=86400",
    );
  });

  it("echoes a sane X-Request-ID and replaces anything else with a UUID", async () => {
    const echoed = await request("/health", { headers: { "X-Request-ID": "trace-123_abc" } });
    expect(echoed.headers.get("X-Request-ID")).toBe("trace-123_abc");
    for (const bad of ["has spaces in it", "x".repeat(300), "<script>"]) {
      const replaced = await request("/health", { headers: { "X-Request-ID": bad } });
      expect(replaced.headers.get("X-Request-ID")).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await request("/health")).headers.get("X-Request-ID")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("allows CORS, with credentials, for configured origins only", async () => {
    const allowed = await request("/health", {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "POST" },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:5173");
    expect(allowed.headers.get("Access-Control-Allow-Credentials")).toBe("true");

    const foreign = await request("/health", { headers: { Origin: "https://evil.example" } });
    expect(foreign.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("GET /openapi.json", () => {
  it("is an OpenAPI 3.1 document of the routes", async () => {
    const response = await request("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/", "/health", "/health/ready", "/.well-known/security.txt", "/docs"]),
    );
  });

  it("describes the auth routes with their security schemes, OAuth2 password flow included", async () => {
    const document = (await (await request("/openapi.json")).json()) as {
      paths: Record<
        string,
        Record<string, { security?: unknown[]; responses: Record<string, { description: string }> }>
      >;
      components: { securitySchemes: Record<string, { type: string; flows?: unknown }> };
    };
    expect(document.components.securitySchemes).toMatchObject({
      bearerAuth: { type: "http" },
      oauth2: { type: "oauth2", flows: { password: { tokenUrl: "/v1/auth/token" } } },
      adminSecret: { type: "apiKey" },
    });
    expect(document.paths["/v1/auth/sessions"]?.get?.security).toEqual([{ bearerAuth: [] }, { oauth2: [] }]);
    expect(document.paths["/v1/auth/register"]?.post?.responses["409"]?.description).toContain("user_exists");
  });

  it("leaves /v1/auth and /v1/admin out when HIDE_AUTH_DOCS=true, while they keep working", async () => {
    const hidden = await requestApp(createApp(), "/openapi.json", {}, { HIDE_AUTH_DOCS: "true" });
    const paths = Object.keys(((await hidden.json()) as { paths: Record<string, unknown> }).paths);
    expect(paths).toContain("/health");
    expect(paths.filter((path) => /^\/v1\/(auth|admin|keys)/.test(path))).toEqual([]);
    const login = await requestApp(createApp(), "/v1/auth/login", { method: "POST" }, { HIDE_AUTH_DOCS: "true" });
    expect(login.status).toBe(422);
  });

  it("is built once per isolate: every request answers the identical document, HIDE_AUTH_DOCS or not", async () => {
    const app = createApp();
    const build = vi.spyOn(app, "getOpenAPI31Document");
    const first = await (await requestApp(app, "/openapi.json")).text();
    const hidden = (await (await requestApp(app, "/openapi.json", {}, { HIDE_AUTH_DOCS: "true" })).json()) as {
      paths: Record<string, unknown>;
    };
    const second = await (await requestApp(app, "/openapi.json")).text();
    expect(second).toBe(first);
    expect(Object.keys(hidden.paths)).not.toContain("/v1/auth/login");
    expect(Object.keys((JSON.parse(second) as typeof hidden).paths)).toContain("/v1/auth/login");
    expect(build).toHaveBeenCalledTimes(1);
  });
});
