import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, actingUserId, requireAny, requireScope } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toNoteBody } from "../../services/notes.ts";
import { IdParams } from "../schemas.ts";
import { NoteSchema } from "./schemas.ts";

export const route = createRoute({
  method: "get",
  path: "/notes/{id}",
  tags: ["Notes"],
  summary: "One of your notes (another user's is a 404)",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("notes:read")] as const,
  request: { params: IdParams },
  responses: {
    200: { description: "The note", content: { "application/json": { schema: NoteSchema } } },
    ...problemResponses("validation_failed", "not_found", ...ANY_AUTH_ERRORS),
  },
});

export const notesGet = createRouter().openapi(route, async (c) => {
  const note = await c.var.services.notes.get(actingUserId(c), c.req.valid("param").id);
  return c.json(toNoteBody(note), 200);
});
