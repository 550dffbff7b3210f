import { anyAccess } from "../../http/access.ts";
import { actingUserId } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";

import { defineRoute } from "../../routes/define-route.ts";
import { IdParams } from "../../routes/schemas.ts";
import { NoteSchema, toNoteBody } from "./schemas.ts";
import { notesOf } from "./service.ts";

export const route = defineRoute({
  method: "get",
  path: "/notes/{id}",
  tags: ["Notes"],
  summary: "One of your notes (another user's is a 404)",
  access: anyAccess({ scope: "notes:read" }),
  errors: ["not_found"],
  request: { params: IdParams },
  responses: {
    200: { description: "The note", content: { "application/json": { schema: NoteSchema } } },
  },
});

export const notesGet = createRouter().openapi(route, async (c) => {
  const note = await notesOf(c).get(actingUserId(c), c.req.valid("param").id);
  return c.json(toNoteBody(note), 200);
});
