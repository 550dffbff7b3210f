/**
 * Stands in for zod's translated error messages in the deployed bundle (the `[alias]`
 * in wrangler.toml). `@hono/zod-openapi` passes the whole `z` namespace to a function,
 * so the bundler keeps every export of it, and with them all ~50 locales (about 250 KB
 * minified), though Gatehouse only ever shows zod's English messages, which zod
 * imports on its own.
 */
export {};
