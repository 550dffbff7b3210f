import { anyAccess } from "../../http/access.ts";
import { actingUserId } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";

import { defineRoute } from "../../routes/define-route.ts";
import { CreateNoteSchema, NoteSchema, toNoteBody } from "./schemas.ts";
import { notesOf } from "./service.ts";

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
  const note = await notesOf(c).create(actingUserId(c), c.req.valid("json"));
  return c.json(toNoteBody(note), 201);
});
