import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, actingUserId, requireAny, requireScope } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toNoteBody } from "../../services/notes.ts";
import { IdParams } from "../schemas.ts";
import { NoteSchema, UpdateNoteSchema } from "./schemas.ts";

export const route = createRoute({
  method: "patch",
  path: "/notes/{id}",
  tags: ["Notes"],
  summary: "Change some fields of one of your notes",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("notes:write")] as const,
  request: {
    params: IdParams,
    body: { required: true, content: { "application/json": { schema: UpdateNoteSchema } } },
  },
  responses: {
    200: { description: "The updated note", content: { "application/json": { schema: NoteSchema } } },
    ...problemResponses("validation_failed", "not_found", ...ANY_AUTH_ERRORS),
  },
});

export const notesUpdate = createRouter().openapi(route, async (c) => {
  const note = await c.var.services.notes.update(actingUserId(c), c.req.valid("param").id, c.req.valid("json"));
  return c.json(toNoteBody(note), 200);
});
