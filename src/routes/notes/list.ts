import { anyAccess } from "../../auth/access.ts";
import { actingUserId } from "../../auth/guards.ts";
import { createRouter } from "../../router.ts";

import { defineRoute } from "../define-route.ts";
import { PageQuery, pageBody, pageOf, pageRequest } from "../schemas.ts";
import { NoteSchema, toNoteBody } from "./schemas.ts";

export const route = defineRoute({
  method: "get",
  path: "/notes",
  tags: ["Notes"],
  summary: "Your notes, newest first",
  access: anyAccess({ scope: "notes:read" }),
  errors: ["invalid_cursor"],
  request: { query: PageQuery },
  responses: {
    200: {
      description: "A page of notes",
      content: { "application/json": { schema: pageOf(NoteSchema, "NotePage") } },
    },
  },
});

export const notesList = createRouter().openapi(route, async (c) => {
  const page = await c.var.services.notes.list(actingUserId(c), pageRequest(c.req.valid("query")));
  return c.json(pageBody(page, toNoteBody), 200);
});
