/**
 * `npm run dev`: everything a developer needs, in one command.
 * 1. writes `.dev.vars` with fresh random secrets and a signing key on the first run;
 * 2. starts the embedded database (PGlite, files under `.data/`) behind the local
 *    SQL-over-HTTP endpoint, unless DATABASE_URL points elsewhere;
 * 3. applies the migrations and seeds the dev admin of `.dev.vars` if it is missing,
 *    then applies each migration `npm run db:generate` adds while it runs;
 * 4. serves the Worker with `wrangler dev` on http://localhost:8787, or on PORT, with
 *    APP_URL and RP_ORIGINS on that port unless `.dev.vars` sets them.
 * A port already in use stops it first, with one line (scripts/dev-ports.ts).
 */
import { spawn } from "node:child_process";
import { isLoopbackDatabase } from "../src/core/local-database.ts";
import { seedDevAdmin } from "./admin-create.ts";
import { migrate, watchMigrations } from "./db/migrate.ts";
import { serveLocalDatabase } from "./db/serve.ts";
import { DEFAULT_WORKER_PORT, exitIfPortInUse, originSettings, workerPort } from "./dev-ports.ts";
import { DEV_VARS_PATH, ensureDevVars, readDevVars } from "./dev-vars.ts";

const PORT = process.env.PORT ?? DEFAULT_WORKER_PORT;

const added = ensureDevVars();
if (added.length > 0) console.log(`wrote ${added.join(", ")} to ${DEV_VARS_PATH}`);
const devVars = readDevVars();
const { DATABASE_URL, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD } = devVars;
if (!DATABASE_URL) throw new Error(`${DEV_VARS_PATH} has no DATABASE_URL`);

await exitIfPortInUse(workerPort(PORT));
const endpoint = isLoopbackDatabase(DATABASE_URL) ? await serveLocalDatabase(DATABASE_URL) : undefined;
const applied = await migrate(DATABASE_URL);
console.log(applied === 0 ? "database is up to date" : `applied ${applied} migration(s)`);
const migrations = watchMigrations(
  DATABASE_URL,
  (count) => console.log(`applied ${count} new migration(s)`),
  (error) => console.error(`a new migration failed, the database is as it was: ${(error as Error).message}`),
);
if (DEV_ADMIN_EMAIL && DEV_ADMIN_PASSWORD && (await seedDevAdmin(DATABASE_URL, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD))) {
  console.log(`seeded dev admin ${DEV_ADMIN_EMAIL} (password: DEV_ADMIN_PASSWORD in ${DEV_VARS_PATH})`);
}

const vars = Object.entries(originSettings(PORT, devVars)).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
const wrangler = spawn("npx", ["wrangler", "dev", "--port", PORT, "--ip", "127.0.0.1", ...vars], { stdio: "inherit" });
const stop = (signal: NodeJS.Signals) => wrangler.kill(signal);
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
wrangler.once("exit", async (code) => {
  migrations.close();
  await endpoint?.close();
  process.exit(code ?? 0);
});
