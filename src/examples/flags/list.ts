import { z } from "@hono/zod-openapi";
import { anyAccess } from "../../http/access.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../../routes/define-route.ts";
import { getFeatureFlags } from "./feature-flags.ts";

export const route = defineRoute({
  method: "get",
  path: "/flags",
  tags: ["Feature flags"],
  summary: "This deployment's feature flags, from its FEATURE_<NAME> settings",
  access: anyAccess(),
  database: false,
  responses: {
    200: {
      description: "`{name: enabled}`",
      content: {
        "application/json": {
          schema: z.record(z.string(), z.boolean()).openapi("FeatureFlags", { example: { new_dashboard: true } }),
        },
      },
    },
  },
});

export const flagsList = createRouter().openapi(route, (c) => c.json(getFeatureFlags(c.env), 200));
