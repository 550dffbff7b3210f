import { createRoute, z } from "@hono/zod-openapi";
import pkg from "../../../package.json" with { type: "json" };
import { createRouter } from "../../http/router.ts";

const ServiceInfo = z
  .object({
    name: z.string(),
    version: z.string(),
    docs: z.string(),
    openapi: z.string(),
    health: z.string(),
  })
  .openapi("ServiceInfo");

export const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Infrastructure"],
  summary: "Service name, version and where the docs are",
  responses: { 200: { description: "Service information", content: { "application/json": { schema: ServiceInfo } } } },
});

export const root = createRouter().openapi(route, (c) =>
  c.json({ name: pkg.name, version: pkg.version, docs: "/docs", openapi: "/openapi.json", health: "/health" }, 200),
);
