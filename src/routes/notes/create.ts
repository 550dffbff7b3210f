import { anyAccess } from "../../auth/access.ts";
import { actingUserId } from "../../auth/guards.ts";
import { createRouter } from "../../router.ts";

import { defineRoute } from "../define-route.ts";
import { CreateNoteSchema, NoteSchema, toNoteBody } from "./schemas.ts";

export const route = defineRoute({
  method: "post",
  path: "/notes",
  tags: ["Notes"],
  summary: "Write a note",
  access: anyAccess({ scope: "notes:write" }),
  request: { body: { required: true, content: { "application/json": { schema: CreateNoteSchema } } } },
  responses: {
    201: { description: "The new note", content: { "application/json": { schema: NoteSchema } } },
  },
});

export const notesCreate = createRouter().openapi(route, async (c) => {
  const note = await c.var.services.notes.create(actingUserId(c), c.req.valid("json"));
  return c.json(toNoteBody(note), 201);
});
