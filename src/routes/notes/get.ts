import { anyAccess } from "../../auth/access.ts";
import { actingUserId } from "../../auth/guards.ts";
import { createRouter } from "../../router.ts";

import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";
import { NoteSchema, toNoteBody } from "./schemas.ts";

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
  const note = await c.var.services.notes.get(actingUserId(c), c.req.valid("param").id);
  return c.json(toNoteBody(note), 200);
});
