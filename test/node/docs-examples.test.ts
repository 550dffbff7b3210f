/**
 * The docs' examples, run or compared as written, so that a new user's first hour cannot
 * drift from the code: the README's Quick start in a shell against the Worker under
 * `wrangler dev`'s engine with a real database, the route file README.md tells readers to
 * copy, and docs/api.md's token check for another service, run against the same Worker.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatehouseTokenVerifier } from "../../docs/examples/verify-access-token.ts";
import type { SqlOverHttp } from "../../scripts/sql-over-http/server.ts";
import { type DevWorker, registerAccount, startDevWorker, startMigratedDatabase } from "./dev-worker.ts";

const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), "utf8");

/** The fenced code blocks of `markdown` in `language`, without the indentation of a list item. */
function codeBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp(`^( *)\`\`\`${language}\\n([\\s\\S]*?)^\\1\`\`\`$`, "gm");
  return [...markdown.matchAll(fence)].map(([, indent, body]) =>
    (body ?? "").replace(new RegExp(`^${indent}`, "gm"), ""),
  );
}

/**
 * The Quick start's commands: its `sh` blocks, up to its first subsection (`### Ports`
 * and any later one hold console transcripts, not commands). A block that runs npm is
 * the reader's own setup, skipped: installing and `npm run dev` (this test's Worker
 * stands in for the dev server) or `npm test` (which would run this test inside itself).
 */
function quickStartCommands(readme: string): string[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith("Quick start\n")) ?? "";
  const [beforeSubsections = ""] = section.split(/^### /m);
  return codeBlocks(beforeSubsections, "sh").filter((block) => !/^npm /m.test(block));
}

/** Printed after each block, on stdout and stderr, to tell the blocks' output apart. */
const BLOCK_END = "::end of block::";

interface ShellRun {
  exitCode: number;
  /** Per block that ran to its end, what it printed. */
  outputs: string[];
  /** Per block that ran to its end, each curl request's `METHOD /path status`. */
  requests: string[][];
  stderr: string;
}

/**
 * Runs `blocks` in one `bash -e` (`-o pipefail` too), one after another, as a reader
 * pastes them into one terminal: a block uses the variables the ones before it set.
 * The commands stay as written; the one change is curl's own configuration file
 * (`CURL_HOME/.curlrc`, read by every curl that is not given `-q`): `connect-to` sends
 * the README's `localhost:8787` to the test's Worker (the Host header stays
 * `localhost:8787`), and `write-out` reports each request's status on stderr.
 */
async function runInOneShell(blocks: string[], origin: string): Promise<ShellRun> {
  const curlHome = await mkdtemp(join(tmpdir(), "readme-curl-"));
  try {
    const target = new URL(origin);
    await writeFile(
      join(curlHome, ".curlrc"),
      `connect-to = "localhost:8787:${target.hostname}:${target.port}"\n` +
        `write-out = "%{stderr}::curl %{method} %{url_effective} %{response_code}\\n"\n`,
    );
    const script = blocks.map((block) => `${block}\necho; echo '${BLOCK_END}'; echo '${BLOCK_END}' >&2\n`).join("");
    const run = promisify(execFile)("bash", ["-e", "-o", "pipefail", "-c", script], {
      env: { ...process.env, CURL_HOME: curlHome },
    });
    const { stdout, stderr, exitCode } = await run.then(
      (done) => ({ ...done, exitCode: 0 }),
      (failed: { stdout: string; stderr: string; code: number }) => ({ ...failed, exitCode: failed.code }),
    );
    return {
      exitCode,
      outputs: stdout
        .split(BLOCK_END)
        .slice(0, -1)
        .map((output) => output.trim()),
      requests: stderr
        .split(BLOCK_END)
        .slice(0, -1)
        .map((part) =>
          [...part.matchAll(/^::curl (\S+) (\S+) (\d+)$/gm)].map(
            ([, method, url, status]) => `${method} ${new URL(url as string).pathname} ${status}`,
          ),
        ),
      stderr,
    };
  } finally {
    await rm(curlHome, { recursive: true, force: true });
  }
}

describe("the docs' examples against the dev Worker", () => {
  let database: SqlOverHttp;
  let worker: DevWorker;

  beforeAll(async () => {
    const local = await startMigratedDatabase("docs_examples");
    database = local.database;
    worker = await startDevWorker({ DATABASE_URL: local.url });
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await database?.close();
  });

  it("README.md, Quick start: every command block runs as written and answers what the README says", async () => {
    const blocks = quickStartCommands(await read("README.md"));
    const run = await runInOneShell(blocks, worker.origin);

    expect(run.outputs, `block ${run.outputs.length + 1} exited ${run.exitCode}:\n${run.stderr}`).toHaveLength(
      blocks.length,
    );
    expect(run.exitCode).toBe(0);
    expect(run.requests).toEqual([
      ["POST /v1/auth/register 201"],
      ["POST /v1/auth/login 200", "GET /v1/auth/me 200"],
      ["POST /v1/auth/refresh 200"],
      ["POST /v1/notes 201", "POST /v1/keys 201", "GET /v1/notes 200"],
      ["POST /v1/auth/logout 204", "GET /v1/auth/me 401"],
    ]);
    const [registered, me, refreshed, notes, loggedOut] = run.outputs;
    expect(JSON.parse(registered ?? "")).toMatchObject({ email: "ada@example.com", role: "user" });
    expect(JSON.parse(me ?? "")).toMatchObject({ email: "ada@example.com" });
    expect(refreshed).toBe("");
    // The note as created, then as the key lists it.
    expect(notes?.match(/"title":"First note"/g)).toHaveLength(2);
    expect(JSON.parse(loggedOut ?? "")).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("README.md, step 3: the route shown is src/examples/notes/get.ts as it is", async () => {
    expect(codeBlocks(await read("README.md"), "ts")).toContain(await read("src/examples/notes/get.ts"));
  });

  it("docs/api.md, another service: the example shown is docs/examples/verify-access-token.ts", async () => {
    expect(codeBlocks(await read("docs/api.md"), "ts")).toContain(await read("docs/examples/verify-access-token.ts"));
  });

  describe("docs/api.md, another service: the example's offline check", () => {
    const account = { email: "service@example.com", password: "correct horse battery" };
    const login = async (origin: string) => {
      const response = await fetch(`${origin}/v1/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ login: account.email, password: account.password }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { access_token: string; refresh_token: string };
    };
    const me = (token: string) =>
      fetch(`${worker.origin}/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });

    beforeAll(() => registerAccount(worker, account));

    it("verifies a token by the JWKS; it carries only iss aud sub sid jti iat exp", async () => {
      const tokens = await login(worker.origin);
      const user = (await (await me(tokens.access_token)).json()) as { id: string };
      const claims = decodeJwt(tokens.access_token);

      expect(await gatehouseTokenVerifier(worker.origin)(tokens.access_token)).toEqual({
        userId: user.id,
        sessionId: claims.sid,
      });
      expect(Object.keys(claims).sort()).toEqual(["aud", "exp", "iat", "iss", "jti", "sid", "sub"]);
      expect(claims.exp).toBe((claims.iat as number) + 900);
      await expect(gatehouseTokenVerifier(worker.origin, "another-audience")(tokens.access_token)).rejects.toThrow(
        /"aud"/,
      );
    });

    it("without JWT_ISSUER, the issuer is the origin the token was asked for at", async () => {
      const otherHost = worker.origin.replace("127.0.0.1", "localhost");
      const tokens = await login(otherHost);
      expect(decodeJwt(tokens.access_token).iss).toBe(otherHost);
      await expect(gatehouseTokenVerifier(worker.origin)(tokens.access_token)).rejects.toThrow(/"iss"/);
      expect(await gatehouseTokenVerifier(otherHost)(tokens.access_token)).toMatchObject({
        userId: expect.any(String),
      });
    });

    it("cannot see a logout: the ended session's token still passes offline while Gatehouse refuses it", async () => {
      const tokens = await login(worker.origin);
      const logout = await fetch(`${worker.origin}/v1/auth/logout`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: tokens.refresh_token }),
      });
      expect(logout.status).toBe(204);

      expect((await me(tokens.access_token)).status).toBe(401);
      expect(await gatehouseTokenVerifier(worker.origin)(tokens.access_token)).toMatchObject({
        userId: expect.any(String),
      });
    });
  });
});
