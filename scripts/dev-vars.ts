/**
 * `.dev.vars`: the local secrets `wrangler dev` reads. A first run writes one with
 * fresh random secrets and a new signing key; later runs keep what is there.
 */

import { generateKeyPairSync, randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { LOCAL_DATABASE_URL } from "../src/core/local-database.ts";

export const DEV_VARS_PATH = ".dev.vars";

export function readDevVars(path = DEV_VARS_PATH): Record<string, string> {
  if (!existsSync(path)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (match?.[1]) vars[match[1]] = unquote(match[2] ?? "");
  }
  return vars;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** A new Ed25519 signing key as a private JWK with a `kid`, for JWT_PRIVATE_KEY. */
export function generateSigningKey(kid = `dev-${new Date().toISOString().slice(0, 10)}`): Record<string, string> {
  const { privateKey } = generateKeyPairSync("ed25519");
  return { ...(privateKey.export({ format: "jwk" }) as Record<string, string>), kid };
}

/** Every setting `npm run dev` needs, each made fresh when `.dev.vars` lacks it. */
const DEV_DEFAULTS: Record<string, () => string> = {
  ENVIRONMENT: () => "development",
  DATABASE_URL: () => LOCAL_DATABASE_URL,
  ADMIN_SECRET: () => randomBytes(32).toString("base64url"),
  JWT_PRIVATE_KEY: () => JSON.stringify(generateSigningKey()),
  MFA_ENCRYPTION_KEY: () => randomBytes(32).toString("base64url"),
  // The dev admin `npm run dev` seeds; never used outside development.
  DEV_ADMIN_EMAIL: () => "admin@localhost.test",
  DEV_ADMIN_PASSWORD: () => randomBytes(18).toString("base64url"),
};

/**
 * Writes `.dev.vars`, or adds to it the settings it lacks (a file from an older
 * version). Values already there are kept. Returns the names it added.
 */
export function ensureDevVars(path = DEV_VARS_PATH): string[] {
  const existing = readDevVars(path);
  const missing = Object.keys(DEV_DEFAULTS).filter((name) => existing[name] === undefined);
  if (missing.length === 0) return [];
  const header = existsSync(path)
    ? []
    : ["# Local development settings, written by `npm run dev`. Never commit this file."];
  const lines = missing.map((name) => `${name}='${DEV_DEFAULTS[name]?.() ?? ""}'`);
  appendFileSync(path, [...header, ...lines, ""].join("\n"), { mode: 0o600 });
  return missing;
}
