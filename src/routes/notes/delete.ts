import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, actingUserId, requireAny, requireScope } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { IdParams } from "../schemas.ts";

export const route = createRoute({
  method: "delete",
  path: "/notes/{id}",
  tags: ["Notes"],
  summary: "Delete one of your notes",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("notes:write")] as const,
  request: { params: IdParams },
  responses: {
    204: { description: "Deleted" },
    ...problemResponses("validation_failed", "not_found", ...ANY_AUTH_ERRORS),
  },
});

export const notesDelete = createRouter().openapi(route, async (c) => {
  await c.var.services.notes.delete(actingUserId(c), c.req.valid("param").id);
  return c.body(null, 204);
});
