import { createRoute, z } from "@hono/zod-openapi";
import { ANY_SECURITY, requireAny } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { getFeatureFlags } from "../../feature-flags.ts";
import { createRouter } from "../../router.ts";

export const route = createRoute({
  method: "get",
  path: "/flags",
  tags: ["Feature flags"],
  summary: "This deployment's feature flags, from its FEATURE_<NAME> settings",
  security: ANY_SECURITY,
  middleware: [requireAny()] as const,
  responses: {
    200: {
      description: "`{name: enabled}`",
      content: {
        "application/json": {
          schema: z.record(z.string(), z.boolean()).openapi("FeatureFlags", { example: { new_dashboard: true } }),
        },
      },
    },
    ...problemResponses("unauthorized", "invalid_api_key", "api_key_expired", "api_key_revoked", "rate_limited"),
  },
});

export const flagsList = createRouter().openapi(route, (c) => c.json(getFeatureFlags(c.env), 200));
