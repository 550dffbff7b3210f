import { createApp } from "./app.ts";
import { scheduled } from "./scheduled.ts";

export { RateLimiter } from "./rate-limit/limiter.ts";
export { SessionFamily } from "./sessions/session-family.ts";

export default { fetch: createApp().fetch, scheduled } satisfies ExportedHandler<Record<string, unknown>>;
