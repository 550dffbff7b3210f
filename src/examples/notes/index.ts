import type { Router } from "../../http/router.ts";
import { notesCreate } from "./create.ts";
import { notesDelete } from "./delete.ts";
import { notesGet } from "./get.ts";
import { notesList } from "./list.ts";
import { notesUpdate } from "./update.ts";

/** `/v1/notes`: owner-scoped; access tokens, or keys with `notes:read` / `notes:write`. */
export const noteRouters: Router[] = [notesList, notesCreate, notesGet, notesUpdate, notesDelete];
