import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LOCAL_DATABASE_URL } from "../src/core/local-database.ts";
import { databasePort, originSettings, portInUseMessage, workerPort } from "./dev-ports.ts";

let listener: Server;
let busyPort: number;

beforeEach(async () => {
  listener = createServer();
  await new Promise<void>((done) => listener.listen(0, "127.0.0.1", done));
  busyPort = (listener.address() as { port: number }).port;
});
afterEach(() => new Promise((done) => listener.close(done)));

/** Runs a script of this folder from an empty folder (its own `.dev.vars`), as `npm run` would. */
async function runScript(script: string, env: Record<string, string>, devVars?: string) {
  const cwd = mkdtempSync(join(tmpdir(), "dev-ports-"));
  if (devVars) writeFileSync(join(cwd, ".dev.vars"), devVars);
  try {
    await promisify(execFile)(process.execPath, [resolve(script)], { cwd, env: { ...process.env, ...env } });
    return { code: 0, stderr: "" };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

describe("the ports of npm run dev", () => {
  it("derives the settings that name the Worker's origin from its port", () => {
    expect(originSettings("8787", {})).toEqual({
      APP_URL: "http://localhost:8787",
      RP_ORIGINS: "http://localhost:8787",
    });
    expect(originSettings("9100", {})).toEqual({
      APP_URL: "http://localhost:9100",
      RP_ORIGINS: "http://localhost:9100",
    });
  });

  it("leaves a setting .dev.vars gives to the developer", () => {
    expect(originSettings("9100", { RP_ORIGINS: "http://localhost:5173" })).toEqual({
      APP_URL: "http://localhost:9100",
    });
    expect(originSettings("9100", { APP_URL: "http://app.localhost", RP_ORIGINS: "http://localhost:5173" })).toEqual(
      {},
    );
  });

  it("names a busy Worker port and how to choose another", async () => {
    expect(await portInUseMessage(workerPort(String(busyPort)))).toBe(
      `port ${busyPort} (the Worker) is already in use: stop what runs there, or choose another port with PORT=${busyPort + 1} npm run dev`,
    );
  });

  it("names a busy database port and the DATABASE_URL that moves it", async () => {
    const url = LOCAL_DATABASE_URL.replace(":4444/", `:${busyPort}/`);
    expect(await portInUseMessage(databasePort(url))).toBe(
      `port ${busyPort} (the local database) is already in use: stop what runs there, or choose another port with ` +
        `DATABASE_URL='postgres://gatehouse:local@127.0.0.1:${busyPort + 1}/gatehouse' in .dev.vars`,
    );
  });

  it("says nothing of a free port", async () => {
    await new Promise((done) => listener.close(done));
    expect(await portInUseMessage(workerPort(String(busyPort)))).toBeUndefined();
    listener = createServer();
  });

  it("npm run dev stops on a busy Worker port with that one line, no stack trace", async () => {
    const { code, stderr } = await runScript("scripts/dev.ts", { PORT: String(busyPort) });
    expect(code).toBe(1);
    expect(stderr).toBe(`${await portInUseMessage(workerPort(String(busyPort)))}\n`);
  });

  it("npm run db:serve stops on a busy database port with that one line", async () => {
    const url = LOCAL_DATABASE_URL.replace(":4444/", `:${busyPort}/`);
    const { code, stderr } = await runScript("scripts/db/serve.ts", {}, `DATABASE_URL='${url}'\n`);
    expect(code).toBe(1);
    expect(stderr).toBe(`${await portInUseMessage(databasePort(url))}\n`);
  });
});
