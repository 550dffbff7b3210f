import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../core/errors.ts";
import { documentHeaders } from "../../http/middleware/response-headers.ts";
import { createRouter } from "../../http/router.ts";
import { SWAGGER_UI_FILES } from "./swagger-ui-files.ts";

// Swagger UI styles itself inline; every script and request stays on this origin.
const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gatehouse API</title>
<link rel="stylesheet" href="/docs/swagger-ui/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
  oauth2RedirectUrl: location.origin + "/docs/swagger-ui/oauth2-redirect.html",
});
`;

export const pageRoute = createRoute({
  method: "get",
  path: "/docs",
  tags: ["Infrastructure"],
  summary: "Swagger UI for this API, served by the Worker itself",
  responses: { 200: { description: "HTML page", content: { "text/html": { schema: z.string() } } } },
});

export const docs = createRouter();

docs.use("/docs", documentHeaders());
docs.use("/docs/*", documentHeaders());

docs.openapi(pageRoute, (c) => c.html(PAGE, 200, { "Content-Security-Policy": DOCS_CSP }));

docs.get("/docs/init.js", (c) =>
  c.body(INIT, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300" }),
);

docs.get("/docs/swagger-ui/:file", async (c) => {
  const file = c.req.param("file");
  if (!SWAGGER_UI_FILES.has(file)) throw new ApiError("not_found", "No such documentation asset.");
  const asset = await c.env.ASSETS.fetch(new URL(`/swagger-ui/${file}`, c.req.url));
  if (!asset.ok) throw new ApiError("not_found", "No such documentation asset.");
  const headers = new Headers(asset.headers);
  headers.set("Cache-Control", "public, max-age=86400");
  return new Response(asset.body, { status: 200, headers });
});
