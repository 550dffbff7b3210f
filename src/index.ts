import { createApp } from "./app.ts";

export { RateLimiter } from "./rate-limit/limiter.ts";
export { SessionFamily } from "./sessions/session-family.ts";

export default { fetch: createApp().fetch };
