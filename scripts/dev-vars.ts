/**
 * `.dev.vars`: the local secrets `wrangler dev` reads. A first run writes one with
 * fresh random secrets and a new signing key; later runs keep what is there.
 */

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { LOCAL_DATABASE_URL } from "../src/db/local.ts";

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

/** Writes `.dev.vars` unless it exists; returns whether it wrote one. */
export function ensureDevVars(path = DEV_VARS_PATH): boolean {
  if (existsSync(path)) return false;
  const vars = {
    ENVIRONMENT: "development",
    DATABASE_URL: LOCAL_DATABASE_URL,
    ADMIN_SECRET: randomBytes(32).toString("base64url"),
  };
  const body = [
    "# Local development settings, written by `npm run dev`. Never commit this file.",
    ...Object.entries(vars).map(([name, value]) => `${name}="${value}"`),
    "",
  ].join("\n");
  writeFileSync(path, body, { mode: 0o600 });
  return true;
}
