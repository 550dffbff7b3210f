import { loadEnv } from "./core/env.ts";
import { createLogger, isLogLevel } from "./core/logger.ts";
import { createDatabase } from "./db/client.ts";
import { errorLogFields } from "./db/errors.ts";
import { createAuditTrail } from "./services/audit-trail.ts";

/**
 * The Cron Trigger (wrangler.toml, `[triggers]`), once a day: the audit trail's
 * retention, rows older than AUDIT_RETENTION_DAYS deleted and addresses older than 30
 * days cut to their network. A bad configuration or a failed run is logged and thrown,
 * so the run shows as failed and the next one tries again (each run is idempotent).
 *
 * @example
 * export default { fetch: app.fetch, scheduled };
 */
export async function scheduled(controller: ScheduledController, raw: Record<string, unknown>): Promise<void> {
  const logger = createLogger(isLogLevel(raw.LOG_LEVEL) ? raw.LOG_LEVEL : "info", { cron: controller.cron });
  const loaded = loadEnv(raw);
  if (!loaded.ok) {
    logger.error("configuration_invalid", { problems: loaded.problems });
    throw new Error("configuration_invalid");
  }
  const { env } = loaded;
  const trail = createAuditTrail({ db: () => createDatabase(env.DATABASE_URL, env.DATABASE_TIMEOUT_MS) });
  try {
    const expired = await trail.expire(env.AUDIT_RETENTION_DAYS);
    logger.info("audit_retention", { retention_days: env.AUDIT_RETENTION_DAYS, ...expired });
  } catch (error) {
    logger.error("audit_retention_failed", errorLogFields(error));
    throw error;
  }
}
