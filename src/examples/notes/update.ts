import { anyAccess } from "../../http/access.ts";
import { actingUserId } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";

import { defineRoute } from "../../routes/define-route.ts";
import { IdParams } from "../../routes/schemas.ts";
import { NoteSchema, toNoteBody, UpdateNoteSchema } from "./schemas.ts";
import { notesOf } from "./service.ts";

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
  const note = await notesOf(c).update(actingUserId(c), c.req.valid("param").id, c.req.valid("json"));
  return c.json(toNoteBody(note), 200);
});
