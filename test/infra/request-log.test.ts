import { afterEach, describe, expect, it, vi } from "vitest";
import { logLines, request, requestJson } from "../support/harness.ts";

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

  it("takes the client IP from CF-Connecting-IP alone, for the request line and every security event", async () => {
    const spoofed = { "X-Forwarded-For": "198.51.100.66" };
    const lines = await logLines(async () => {
      await request("/health", { headers: spoofed });
      await requestJson(
        "POST",
        "/v1/auth/login",
        { login: "nobody@example.com", password: "wrong password" },
        {
          ...spoofed,
          "CF-Connecting-IP": "203.0.113.10",
        },
      );
    });
    expect(lines.find((line) => line.event === "request" && line.path === "/health")).toMatchObject({ ip: null });
    expect(lines.find((line) => line.event === "login_failure")).toMatchObject({ ip: "203.0.113.10" });
    expect(JSON.stringify(lines)).not.toContain("198.51.100.66");
  });

  it("never logs the query string, where an API key may travel", async () => {
    const lines = await logLines(() => request("/health?api_key=gate_SuperSecretValue123&token=abc"));
    const text = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThan(0);
    expect(text).not.toContain("SuperSecretValue123");
    expect(text).not.toContain("token=abc");
  });
});
