import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, actingUserId, requireAny, requireScope } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toNoteBody } from "../../services/notes.ts";
import { PageQuery, pageOf } from "../schemas.ts";
import { NoteSchema } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/notes",
  tags: ["Notes"],
  summary: "Your notes, newest first",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("notes:read")] as const,
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page of notes",
      content: { "application/json": { schema: pageOf(NoteSchema, "NotePage") } },
    },
    ...problemResponses("validation_failed", ...ANY_AUTH_ERRORS),
  },
});

export const notesList = createRouter().openapi(route, async (c) => {
  const { offset, limit } = c.req.valid("query");
  const page = await c.var.services.notes.list(actingUserId(c), offset, limit);
  return c.json({ ...page, items: page.items.map(toNoteBody) }, 200);
});
