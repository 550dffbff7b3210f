import type { Logger } from "../core/logger.ts";
import type { Database } from "./client.ts";
import { errorLogFields } from "./errors.ts";

/** How long entries wait to be written, so the requests of that moment share one SQL request. */
const FLUSH_DELAY_MS = 250;
const MAX_BATCH = 500;

/** Where a flush writes and reports, from the request whose entry started it. */
export interface FlushContext {
  db: () => Database;
  logger: Logger;
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Rows an isolate writes after the response: entries collect for FLUSH_DELAY_MS and
 * `write` stores up to MAX_BATCH of them in one SQL request. `waitUntil` keeps every
 * contributing request alive until its entry is written; a failed write is logged as
 * `lost`, never surfaced to a client. One instance per kind of row and isolate, made
 * and handed out by src/services/index.ts.
 *
 * @example
 * const usage = new WriteBehind<UsageEntry>("api_key_usage_lost", (db, batch) => db.insert(apiKeyUsage).values(batch));
 * usage.record(entry, { db, logger, waitUntil });
 */
export class WriteBehind<T> {
  #pending: T[] = [];
  #flushing: Promise<void> | undefined;

  constructor(
    private readonly lost: string,
    private readonly write: (db: Database, batch: T[]) => Promise<unknown>,
  ) {}

  /** Queues one entry, written after the response has gone. */
  record(entry: T, context: FlushContext): void {
    this.#pending.push(entry);
    this.#flushing ??= new Promise((resolve) => setTimeout(resolve, FLUSH_DELAY_MS))
      .then(() => this.#flush(context))
      .finally(() => {
        this.#flushing = undefined;
      });
    context.waitUntil(this.#flushing);
  }

  async #flush({ db: database, logger }: FlushContext): Promise<void> {
    const db = database();
    while (this.#pending.length > 0) {
      const batch = this.#pending.slice(0, MAX_BATCH);
      this.#pending = this.#pending.slice(MAX_BATCH);
      try {
        await this.write(db, batch);
      } catch (error) {
        logger.warn(this.lost, { entries: batch.length, ...errorLogFields(error) });
      }
    }
  }
}
