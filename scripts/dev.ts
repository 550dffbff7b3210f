/**
 * `npm run dev`: everything a developer needs, in one command.
 * 1. writes `.dev.vars` with fresh random secrets on the first run;
 * 2. starts the embedded database (PGlite, files under `.data/`) behind the local
 *    SQL-over-HTTP endpoint, unless DATABASE_URL points elsewhere;
 * 3. applies the migrations;
 * 4. serves the Worker with `wrangler dev` on http://localhost:8787.
 */
import { spawn } from "node:child_process";
import { isLoopbackDatabase } from "../src/db/local.ts";
import { migrate } from "./db/migrate.ts";
import { serveLocalDatabase } from "./db/serve.ts";
import { DEV_VARS_PATH, ensureDevVars, readDevVars } from "./dev-vars.ts";

const PORT = process.env.PORT ?? "8787";

if (ensureDevVars()) console.log(`wrote ${DEV_VARS_PATH} with fresh secrets`);
const { DATABASE_URL } = readDevVars();
if (!DATABASE_URL) throw new Error(`${DEV_VARS_PATH} has no DATABASE_URL`);

const endpoint = isLoopbackDatabase(DATABASE_URL) ? await serveLocalDatabase(DATABASE_URL) : undefined;
const applied = await migrate(DATABASE_URL);
console.log(applied === 0 ? "database is up to date" : `applied ${applied} migration(s)`);

const wrangler = spawn("npx", ["wrangler", "dev", "--port", PORT, "--ip", "127.0.0.1"], { stdio: "inherit" });
const stop = (signal: NodeJS.Signals) => wrangler.kill(signal);
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
wrangler.once("exit", async (code) => {
  await endpoint?.close();
  process.exit(code ?? 0);
});
