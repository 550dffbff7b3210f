import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../http/router.ts";

const EXPIRES_AFTER_DAYS = 180;

export const route = createRoute({
  method: "get",
  path: "/.well-known/security.txt",
  tags: ["Infrastructure"],
  summary: "RFC 9116 security contact",
  responses: { 200: { description: "security.txt", content: { "text/plain": { schema: z.string() } } } },
});

export const securityTxt = createRouter().openapi(route, (c) => {
  const expires = new Date(Date.now() + EXPIRES_AFTER_DAYS * 86_400_000);
  expires.setUTCHours(0, 0, 0, 0);
  const canonical = new URL("/.well-known/security.txt", c.req.url).href;
  const body = [
    `Contact: ${c.env.SECURITY_CONTACT}`,
    `Expires: ${expires.toISOString()}`,
    "Preferred-Languages: en",
    `Canonical: ${canonical}`,
    "",
  ].join("\n");
  return c.text(body, 200, { "Cache-Control": "public, max-age=86400" });
});
