import { z } from "@hono/zod-openapi";
import { text, typedText } from "../../routes/schemas.ts";
import type { Note } from "./table.ts";

export const NoteSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    content: z.string(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("Note");

const title = typedText(200);
const content = text(10_000);

export const CreateNoteSchema = z.object({ title, content: content.optional() }).openapi("CreateNoteRequest");
export const UpdateNoteSchema = z
  .object({ title: title.optional(), content: content.optional() })
  .openapi("UpdateNoteRequest", { description: "Only the fields given change" });

export function toNoteBody(note: Note) {
  const body = {
    id: note.id,
    title: note.title,
    content: note.content,
    created_at: note.createdAt.toISOString(),
    updated_at: note.updatedAt.toISOString(),
  } satisfies z.input<typeof NoteSchema>;
  return body;
}
