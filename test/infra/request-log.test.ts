import { afterEach, describe, expect, it, vi } from "vitest";
import { logLines, request } from "../support/harness.ts";

afterEach(() => vi.restoreAllMocks());

describe("request logging", () => {
  it("writes one JSON line per request with id, method, route, status, duration and ip", async () => {
    let response: Response | undefined;
    const lines = await logLines(async () => {
      response = await request("/health/ready", { headers: { "CF-Connecting-IP": "203.0.113.9" } });
    });
    const requestLines = lines.filter((line) => line.event === "request");
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      level: "info",
      request_id: response?.headers.get("X-Request-ID"),
      method: "GET",
      route: "/health/ready",
      path: "/health/ready",
      status: 200,
      ip: "203.0.113.9",
      duration_ms: expect.any(Number),
      time: expect.any(String),
    });
  });

  it("never logs the query string, where an API key may travel", async () => {
    const lines = await logLines(() => request("/health?api_key=gate_SuperSecretValue123&token=abc"));
    const text = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThan(0);
    expect(text).not.toContain("SuperSecretValue123");
    expect(text).not.toContain("token=abc");
  });
});
