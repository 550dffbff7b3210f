import { anyAccess } from "../../auth/access.ts";
import { actingUserId } from "../../auth/guards.ts";
import { createRouter } from "../../router.ts";
import { defineRoute } from "../define-route.ts";
import { IdParams } from "../schemas.ts";

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
  await c.var.services.notes.delete(actingUserId(c), c.req.valid("param").id);
  return c.body(null, 204);
});
