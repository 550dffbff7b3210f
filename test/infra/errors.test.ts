import { createRoute, z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { createRouter } from "../../src/http/router.ts";
import { expectProblem, request, requestApp } from "../support/harness.ts";

// A route with a JSON body, so the request pipeline's body handling can be probed
// before the application routes of later issues exist.
const probeRoute = createRoute({
  method: "post",
  path: "/probe",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ name: z.string().min(1), count: z.number().int().min(0) }),
        },
      },
    },
  },
  responses: { 200: { description: "echo", content: { "application/json": { schema: z.object({}) } } } },
});
const app = createApp([createRouter().openapi(probeRoute, (c) => c.json(c.req.valid("json"), 200))]);
const post = (init: RequestInit) => requestApp(app, "/v1/probe", { method: "POST", ...init });
const json = { "Content-Type": "application/json" };

describe("the problem+json error model", () => {
  it("accepts a valid body", async () => {
    const response = await post({ headers: json, body: JSON.stringify({ name: "a", count: 1 }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: "a", count: 1 });
  });

  it("answers a body that fails validation with 422 and errors[]", async () => {
    const response = await post({ headers: json, body: JSON.stringify({ name: "", count: "x" }) });
    const problem = await expectProblem(response, 422, "validation_failed");
    expect(problem.errors?.map((error) => error.path).sort()).toEqual(["count", "name"]);
    for (const error of problem.errors ?? []) expect(error.message).toEqual(expect.any(String));
  });

  it("answers malformed JSON with 400 malformed_request", async () => {
    await expectProblem(await post({ headers: json, body: '{"name": "a",' }), 400, "malformed_request");
  });

  it("answers a wrong content type with 415", async () => {
    const response = await post({ headers: { "Content-Type": "text/plain" }, body: "name=a" });
    await expectProblem(response, 415, "unsupported_media_type");
  });

  it("answers a body over 1 MiB with 413, by declared length or by streamed size", async () => {
    const big = JSON.stringify({ name: "x".repeat(1024 * 1024), count: 1 });
    await expectProblem(await post({ headers: json, body: big }), 413, "payload_too_large");
    const stream = new Blob([big]).stream();
    await expectProblem(
      await post({ headers: json, body: stream, duplex: "half" } as RequestInit),
      413,
      "payload_too_large",
    );
  });

  it("answers unknown routes with 404 not_found", async () => {
    await expectProblem(await request("/v1/does-not-exist"), 404, "not_found");
    await expectProblem(await request("/nowhere"), 404, "not_found");
  });

  it("answers a known path with the wrong method with 405 and Allow", async () => {
    const response = await request("/health", { method: "DELETE" });
    await expectProblem(response, 405, "method_not_allowed");
    expect(response.headers.get("Allow")).toContain("GET");
  });

  it("never returns a stack trace for an unexpected failure", async () => {
    const boom = createRouter();
    boom.get("/boom", () => {
      throw new Error("secret internal detail");
    });
    const failing = createApp([boom]);
    const response = await requestApp(failing, "/v1/boom");
    const problem = await expectProblem(response, 500, "internal");
    expect(JSON.stringify(problem)).not.toContain("secret internal detail");
  });
});
