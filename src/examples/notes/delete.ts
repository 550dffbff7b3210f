import { anyAccess } from "../../http/access.ts";
import { actingUserId } from "../../http/guards.ts";
import { createRouter } from "../../http/router.ts";
import { defineRoute } from "../../routes/define-route.ts";
import { IdParams } from "../../routes/schemas.ts";
import { notesOf } from "./service.ts";

export const route = defineRoute({
  method: "delete",
  path: "/notes/{id}",
  tags: ["Notes"],
  summary: "Delete one of your notes",
  access: anyAccess({ scope: "notes:write" }),
  errors: ["not_found"],
  request: { params: IdParams },
  responses: {
    204: { description: "Deleted" },
  },
});

export const notesDelete = createRouter().openapi(route, async (c) => {
  await notesOf(c).delete(actingUserId(c), c.req.valid("param").id);
  return c.body(null, 204);
});
