/**
 * `npm run admin:create -- --email you@example.com [--password-stdin]`: the first
 * admin, straight into DATABASE_URL (the environment's, else .dev.vars'). Without
 * --password-stdin a random password is generated and printed once. An existing
 * account with that email is promoted to admin and keeps its password.
 */
import { randomBytes } from "node:crypto";
import { text } from "node:stream/consumers";
import { parseArgs } from "node:util";
import { neon } from "@neondatabase/serverless";
import { nobleArgon2id } from "../src/credentials/argon2id-noble.ts";
import { createPasswordHashing, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../src/credentials/passwords.ts";
import "../src/db/client.ts";
import { readDevVars } from "./dev-vars.ts";

/** Node cannot import the Worker's WebAssembly module; the pure-JavaScript build gives the same hashes. */
const { hashPassword } = createPasswordHashing(() => nobleArgon2id);

/** Creates `email` as an admin with `password`, or promotes the existing account. */
export async function createAdmin(
  databaseUrl: string,
  email: string,
  password: string,
): Promise<"created" | "promoted"> {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new Error(`the password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`);
  }
  const sql = neon(databaseUrl);
  const created = await sql`
    INSERT INTO users (email, password_hash, role) VALUES (${email}, ${await hashPassword(password)}, 'admin')
    ON CONFLICT DO NOTHING RETURNING id`;
  if (created.length > 0) return "created";
  await sql`UPDATE users SET role = 'admin', updated_at = now() WHERE lower(email) = lower(${email})`;
  return "promoted";
}

/** `npm run dev`'s dev admin; true if this run created it. */
export async function seedDevAdmin(databaseUrl: string, email: string, password: string): Promise<boolean> {
  return (await createAdmin(databaseUrl, email, password)) === "created";
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { email: { type: "string" }, "password-stdin": { type: "boolean" } } });
  const url = process.env.DATABASE_URL ?? readDevVars().DATABASE_URL;
  if (!values.email || !url) {
    console.error("usage: DATABASE_URL=… npm run admin:create -- --email you@example.com [--password-stdin]");
    process.exit(1);
  }
  const given = values["password-stdin"] ? (await text(process.stdin)).trim() : undefined;
  const password = given ?? randomBytes(18).toString("base64url");
  const outcome = await createAdmin(url, values.email, password);
  if (outcome === "promoted") console.log(`${values.email} already had an account; it is now an admin`);
  else console.log(`created admin ${values.email}${given ? "" : ` with password ${password} (shown only now)`}`);
}
