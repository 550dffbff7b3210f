import type { Logger } from "../core/logger.ts";

/**
 * Product analytics, kept behind one small interface so a real sink (Segment,
 * PostHog, Workers Analytics Engine) replaces the log-backed default in one place:
 * `createAnalytics` below, which `createServices` calls once per request.
 * Never pass secrets or personal data as properties or traits.
 */
export interface Analytics {
  track(event: string, properties?: Record<string, unknown>, userId?: string | null): void;
  identify(userId: string, traits?: Record<string, unknown>): void;
}

/** The default sink: one `analytics` log line per call. */
export function createAnalytics(logger: Logger): Analytics {
  return {
    track(event, properties = {}, userId = null) {
      logger.info("analytics", { kind: "track", name: event, user_id: userId, properties });
    },
    identify(userId, traits = {}) {
      logger.info("analytics", { kind: "identify", user_id: userId, traits });
    },
  };
}
