/** The Swagger UI files `/docs` serves; `scripts/build-assets.ts` copies them into the static assets. */
export const SWAGGER_UI_FILES: ReadonlySet<string> = new Set([
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js",
  "favicon-32x32.png",
  "oauth2-redirect.html",
  "oauth2-redirect.js",
]);
