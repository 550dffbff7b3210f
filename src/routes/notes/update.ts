import { anyAccess } from "../../auth/access.ts";
import { actingUserId } from "../../auth/guards.ts";
import { createRouter } from "../../router.ts";

import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";
import { NoteSchema, toNoteBody, UpdateNoteSchema } from "./schemas.ts";

export const route = defineRoute({
  method: "patch",
  path: "/notes/{id}",
  tags: ["Notes"],
  summary: "Change some fields of one of your notes",
  access: anyAccess({ scope: "notes:write" }),
  errors: ["not_found"],
  request: {
    params: IdParams,
    body: { required: true, content: { "application/json": { schema: UpdateNoteSchema } } },
  },
  responses: {
    200: { description: "The updated note", content: { "application/json": { schema: NoteSchema } } },
  },
});

export const notesUpdate = createRouter().openapi(route, async (c) => {
  const note = await c.var.services.notes.update(actingUserId(c), c.req.valid("param").id, c.req.valid("json"));
  return c.json(toNoteBody(note), 200);
});
