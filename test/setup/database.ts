/**
 * Gives every test file a database of its own: a copy of the migrated template,
 * created before the file's tests and dropped after them. Each test file runs in
 * its own isolate, so pointing this isolate's DATABASE_URL at the copy isolates
 * the file's rows from every other file. Before a copy is dropped, every audit row the
 * file's tests caused is scanned for credentials: the whole suite's rows, one file at a time.
 */
import { env } from "cloudflare:test";
import { afterAll, beforeAll, inject } from "vitest";
import { auditRowsWithCredentials } from "../support/audit.ts";

const endpoint = inject("sqlEndpoint");
export const testDatabase = `test_${crypto.randomUUID().replaceAll("-", "")}`;

beforeAll(async () => {
  const response = await fetch(`${endpoint}/databases`, {
    method: "POST",
    body: JSON.stringify({ name: testDatabase, template: inject("templateDatabase") }),
  });
  if (response.status !== 201) throw new Error(`could not create ${testDatabase}: ${await response.text()}`);
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/${testDatabase}`;
  env.DATABASE_URL = url.href;
});

// Before the file's rows go: none of the audit events it caused may hold a credential.
afterAll(async () => {
  try {
    const leaks = await auditRowsWithCredentials(env.DATABASE_URL);
    if (leaks.length > 0) throw new Error(`audit rows hold credentials: ${JSON.stringify(leaks.slice(0, 3))}`);
  } finally {
    await fetch(`${endpoint}/databases/${testDatabase}`, { method: "DELETE" });
  }
});
