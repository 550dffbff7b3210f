import { and, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { ApiError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import type { AppEnv } from "../../http/app-env.ts";
import { type ListOrder, type Page, type PageRequest, pageOfTable, sortKey } from "../../services/pagination.ts";
import { type Note, notes } from "./table.ts";

/** Newest first, ties by id: the order of `notes_user_created_idx`. */
const NOTES_ORDER: ListOrder = {
  tag: "notes",
  direction: "desc",
  keys: [sortKey(notes.createdAt, "timestamptz"), sortKey(notes.id, "uuid")],
};

export interface NoteInput {
  title: string;
  content?: string;
}

/**
 * Notes, always scoped to their owner: every query filters on `user_id`, so another
 * user's note is indistinguishable from a missing one (404) and takes the same path.
 * Every method is one SQL request.
 */
export function createNoteService(db: () => Database) {
  const mine = (userId: string, id: string) => and(eq(notes.id, id), eq(notes.userId, userId));
  const notFound = () => new ApiError("not_found", "No note with this id.");

  return {
    /** The owner's notes, newest first: one SQL request, with a capped count only if asked. */
    list(userId: string, request: PageRequest): Promise<Page<Note>> {
      return pageOfTable(db(), notes, eq(notes.userId, userId), NOTES_ORDER, request);
    },

    async create(userId: string, input: NoteInput): Promise<Note> {
      const [note] = await db()
        .insert(notes)
        .values({ userId, ...input })
        .returning();
      return note as Note;
    },

    async get(userId: string, id: string): Promise<Note> {
      const [note] = await db().select().from(notes).where(mine(userId, id));
      if (!note) throw notFound();
      return note;
    },

    /** Changes only the fields given. */
    async update(userId: string, id: string, patch: Partial<NoteInput>): Promise<Note> {
      const [note] = await db()
        .update(notes)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(mine(userId, id))
        .returning();
      if (!note) throw notFound();
      return note;
    },

    async delete(userId: string, id: string): Promise<void> {
      const deleted = await db().delete(notes).where(mine(userId, id)).returning({ id: notes.id });
      if (deleted.length === 0) throw notFound();
    },
  };
}

export type NoteService = ReturnType<typeof createNoteService>;

/**
 * The service of one request, on its database. An example builds its own service, so
 * `src/services/` knows nothing of the examples and deleting `src/examples/` leaves it whole.
 *
 * @example
 * const page = await notesOf(c).list(…);
 */
export function notesOf(c: Context<AppEnv>): NoteService {
  return createNoteService(() => c.var.services.db);
}
