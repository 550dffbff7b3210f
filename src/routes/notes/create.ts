import { createRoute } from "@hono/zod-openapi";
import { ANY_AUTH_ERRORS, ANY_SECURITY, actingUserId, requireAny, requireScope } from "../../auth/guards.ts";
import { problemResponses } from "../../errors.ts";
import { createRouter } from "../../router.ts";
import { toNoteBody } from "../../services/notes.ts";
import { CreateNoteSchema, NoteSchema } from "./schemas.ts";

export const route = createRoute({
  method: "post",
  path: "/notes",
  tags: ["Notes"],
  summary: "Write a note",
  security: ANY_SECURITY,
  middleware: [requireAny(), requireScope("notes:write")] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateNoteSchema } } } },
  responses: {
    201: { description: "The new note", content: { "application/json": { schema: NoteSchema } } },
    ...problemResponses("validation_failed", ...ANY_AUTH_ERRORS),
  },
});

export const notesCreate = createRouter().openapi(route, async (c) => {
  const note = await c.var.services.notes.create(actingUserId(c), c.req.valid("json"));
  return c.json(toNoteBody(note), 201);
});
