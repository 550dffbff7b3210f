import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ApiError } from "../../core/errors.ts";
import type { AppEnv } from "../../http/app-env.ts";
import { documentHeaders } from "../../http/middleware/response-headers.ts";
import { createRouter } from "../../http/router.ts";

// The page's one script and every request stay on this origin.
const DEMO_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const FILES = { "/passkeys-demo": "index.html", "/passkeys-demo/demo.js": "demo.js" } as const;

export const pageRoute = createRoute({
  method: "get",
  path: "/passkeys-demo",
  tags: ["Infrastructure"],
  summary: "A page to try passkeys in a browser (development only)",
  responses: {
    200: { description: "HTML page", content: { "text/html": { schema: z.string() } } },
    404: { description: "In production" },
  },
});

/** Serves one file of the demo from the static assets (`assets/passkeys-demo`), in development only. */
async function serve(c: Context<AppEnv>, path: keyof typeof FILES): Promise<Response> {
  if (c.env.isProduction) throw new ApiError("not_found", "The passkeys demo is served in development only.");
  const asset = await c.env.ASSETS.fetch(new URL(`/passkeys-demo/${FILES[path]}`, c.req.url));
  if (!asset.ok) throw new ApiError("not_found", "No such demo file.");
  const headers = new Headers(asset.headers);
  headers.set("Content-Security-Policy", DEMO_CSP);
  headers.set("Cache-Control", "no-store");
  return new Response(asset.body, { status: 200, headers });
}

export const passkeysDemo = createRouter();

passkeysDemo.use("/passkeys-demo", documentHeaders());
passkeysDemo.use("/passkeys-demo/*", documentHeaders());
passkeysDemo.openapi(pageRoute, (c) => serve(c, "/passkeys-demo"));
passkeysDemo.get("/passkeys-demo/demo.js", (c) => serve(c, "/passkeys-demo/demo.js"));
