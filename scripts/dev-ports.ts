/**
 * The two ports `npm run dev` listens on, on 127.0.0.1: the Worker's (PORT, 8787) and the
 * local database's (the port of DATABASE_URL in `.dev.vars`, 4444). A port already taken
 * stops it with one line saying how to choose another; on another Worker port the
 * settings that name the Worker's own origin follow it.
 *
 * @example
 * const busy = await portInUseMessage(workerPort("8787"));
 * if (busy) { console.error(busy); process.exit(1); }
 * originSettings("8790", readDevVars()); // → { APP_URL: "http://localhost:8790", RP_ORIGINS: "http://localhost:8790" }
 */
import { createServer } from "node:net";

/** A port `npm run dev` needs, what listens there, and how a developer moves it. */
export interface DevPort {
  port: number;
  serves: string;
  moveWith: string;
}

export const DEFAULT_WORKER_PORT = "8787";

export function workerPort(port: string): DevPort {
  return { port: Number(port), serves: "the Worker", moveWith: `PORT=${Number(port) + 1} npm run dev` };
}

export function databasePort(databaseUrl: string): DevPort {
  const url = new URL(databaseUrl);
  const port = Number(url.port);
  url.port = String(port + 1);
  return { port, serves: "the local database", moveWith: `DATABASE_URL='${url.href}' in .dev.vars` };
}

/**
 * The settings whose development default names http://localhost:8787 (src/core/env.ts),
 * for the Worker on `port`: email links (APP_URL) and the pages allowed to use passkeys
 * (RP_ORIGINS). A setting `.dev.vars` gives is the developer's and is left alone.
 */
export function originSettings(port: string, devVars: Record<string, string>): Record<string, string> {
  const origin = `http://localhost:${port}`;
  const derived: Record<string, string> = { APP_URL: origin, RP_ORIGINS: origin };
  return Object.fromEntries(Object.entries(derived).filter(([name]) => devVars[name] === undefined));
}

/**
 * One line naming the port and how to choose another when something already listens
 * on it, else undefined. Found by binding the port as `npm run dev` will, so the
 * developer reads this rather than a stack trace ending in EADDRINUSE.
 */
export function portInUseMessage({ port, serves, moveWith }: DevPort): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE") return reject(error);
      resolve(
        `port ${port} (${serves}) is already in use: stop what runs there, or choose another port with ${moveWith}`,
      );
    });
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(undefined)));
  });
}

/** Stops `npm run dev` (or `npm run db:serve`) with that one line when `port` is taken. */
export async function exitIfPortInUse(port: DevPort): Promise<void> {
  const message = await portInUseMessage(port);
  if (message === undefined) return;
  console.error(message);
  process.exit(1);
}
