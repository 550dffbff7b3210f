import { anyAccess } from "../../http/access.ts";
import { actingUserId } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";

import { defineRoute } from "../../routes/define-route.ts";
import { PageQuery, pageBody, pageOf, pageRequest } from "../../routes/schemas.ts";
import { NoteSchema, toNoteBody } from "./schemas.ts";
import { notesOf } from "./service.ts";

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
  const page = await notesOf(c).list(actingUserId(c), pageRequest(c.req.valid("query")));
  return c.json(pageBody(page, toNoteBody), 200);
});
