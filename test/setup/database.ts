/**
 * Gives every test file a database of its own: a copy of the migrated template,
 * created before the file's tests and dropped after them. Each test file runs in
 * its own isolate, so pointing this isolate's DATABASE_URL at the copy isolates
 * the file's rows from every other file.
 */
import { env } from "cloudflare:test";
import { afterAll, beforeAll, inject } from "vitest";

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

afterAll(async () => {
  await fetch(`${endpoint}/databases/${testDatabase}`, { method: "DELETE" });
});
