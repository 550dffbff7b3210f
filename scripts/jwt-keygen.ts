/**
 * `npm run jwt:keygen [-- --kid prod-2026-11]`: a new Ed25519 signing key for
 * JWT_PRIVATE_KEY, and its public half for JWT_PREVIOUS_PUBLIC_KEYS once the key is
 * rotated out. Pipe the first line straight into `wrangler secret put`:
 *   npm run -s jwt:keygen | head -1 | npx wrangler secret put JWT_PRIVATE_KEY --env production
 */
import { parseArgs } from "node:util";
import { generateSigningKey } from "./dev-vars.ts";

const { values } = parseArgs({
  options: { kid: { type: "string", default: `key-${new Date().toISOString().slice(0, 10)}` } },
});
const { d: _private, ...publicJwk } = generateSigningKey(values.kid);
const privateJwk = { ...publicJwk, d: _private };
console.log(JSON.stringify(privateJwk));
console.error(`public half, for JWT_PREVIOUS_PUBLIC_KEYS after the next rotation: ${JSON.stringify(publicJwk)}`);
