import { createApp } from "./app.ts";

export { RateLimiter } from "./rate-limit/limiter.ts";

export default { fetch: createApp().fetch };
