/**
 * The cookie transport in a real browser (Debian's Chromium through playwright-core),
 * against the Worker under `wrangler dev`'s engine with a real database: a page on an
 * allowed origin logs in, gets httpOnly cookies it cannot read, calls /me, rotates and
 * logs out; a page on a foreign origin is refused and changes nothing.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlOverHttp } from "../../scripts/sql-over-http/server.ts";
import { hasChromium, launchChromium } from "./browser.ts";
import { type DevWorker, registerAccount, startDevWorker, startMigratedDatabase } from "./dev-worker.ts";

const ACCOUNT = { email: "browser@example.com", password: "correct horse battery" };

/** The little of the DOM the pages' scripts use (this file is type-checked without the DOM library). */
interface PageElement {
  append(child: PageElement): void;
  submit(): void;
}
interface PageDocument {
  createElement(tag: string): PageElement;
  body: PageElement;
}

interface FrontEnd {
  origin: string;
  server: Server;
}

/**
 * A blank page on a real loopback server, for the browser to run a front end's fetches
 * from (a page Playwright made up would count as public, and Chromium would then ask
 * the Worker's loopback address for private-network permission first).
 */
async function serveFrontEnd(): Promise<FrontEnd> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><title>front end</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.skipIf(!hasChromium)("cookie login in headless Chromium", () => {
  let database: SqlOverHttp;
  let worker: DevWorker;
  let browser: Browser;
  /** A front end the Worker allows (CORS_ORIGINS), and one it does not: same site, other ports. */
  let frontEnds: { app: FrontEnd; foreign: FrontEnd };

  beforeAll(async () => {
    frontEnds = { app: await serveFrontEnd(), foreign: await serveFrontEnd() };
    const local = await startMigratedDatabase("browser");
    database = local.database;
    worker = await startDevWorker({ DATABASE_URL: local.url, CORS_ORIGINS: frontEnds.app.origin });
    await registerAccount(worker, ACCOUNT);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await database?.close();
    for (const frontEnd of Object.values(frontEnds ?? {})) frontEnd.server.close();
  });

  async function pageAt(context: BrowserContext, frontEnd: FrontEnd): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${frontEnd.origin}/`);
    return page;
  }

  /** `fetch` from the page, with cookies: the status as the network saw it, and the body the page could read. */
  async function call(page: Page, path: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const url = `${worker.origin}${path}`;
    const [response, body] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url() === url),
      page.evaluate(
        ({ url, method, form }) =>
          fetch(url, {
            method,
            credentials: "include",
            ...(form
              ? {
                  headers: { "Content-Type": "application/x-www-form-urlencoded" },
                  body: new URLSearchParams(form).toString(),
                }
              : {}),
          })
            .then((answer) => answer.text())
            .catch(() => null),
        { url, method: init.method ?? "GET", form: init.form },
      ),
    ]);
    return { status: response.status(), body };
  }

  /**
   * A form posted from the page (a top-level navigation, as a CSRF attack would make):
   * its status is visible whatever CORS says. The page is back on its front end after.
   */
  async function submitForm(page: Page, frontEnd: FrontEnd, path: string, fields: Record<string, string> = {}) {
    const url = `${worker.origin}${path}`;
    const [response] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url() === url),
      page.evaluate(
        ({ url, fields }) => {
          const { document } = globalThis as unknown as { document: PageDocument };
          const form = Object.assign(document.createElement("form"), { method: "POST", action: url });
          for (const [name, value] of Object.entries(fields)) {
            form.append(Object.assign(document.createElement("input"), { name, value }));
          }
          document.body.append(form);
          form.submit();
        },
        { url, fields },
      ),
    ]);
    await page.waitForURL(url);
    await page.goto(`${frontEnd.origin}/`);
    return response;
  }

  const sessionCookies = async (context: BrowserContext) =>
    (await context.cookies([worker.origin, `${worker.origin}/v1/auth`])).filter((cookie) =>
      cookie.name.startsWith("gatehouse_"),
    );

  it("logs in from an allowed origin: httpOnly cookies, /me, rotation, logout", async () => {
    const context = await browser.newContext();
    const page = await pageAt(context, frontEnds.app);

    const login = await call(page, "/v1/auth/jwt/login", {
      method: "POST",
      form: { username: ACCOUNT.email, password: ACCOUNT.password },
    });
    expect(login.status).toBe(204);
    const cookies = await sessionCookies(context);
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite, cookie.path]).sort()).toEqual([
      ["gatehouse_access", true, "Lax", "/"],
      ["gatehouse_refresh", true, "Lax", "/v1/auth"],
    ]);
    expect(await page.evaluate("document.cookie")).not.toContain("gatehouse_");

    const me = await call(page, "/v1/auth/me");
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body ?? "{}")).toMatchObject({ email: ACCOUNT.email });

    const refreshBefore = cookies.find((cookie) => cookie.name === "gatehouse_refresh")?.value;
    expect((await call(page, "/v1/auth/refresh", { method: "POST" })).status).toBe(204);
    const refreshAfter = (await sessionCookies(context)).find((cookie) => cookie.name === "gatehouse_refresh")?.value;
    expect(refreshAfter).toBeDefined();
    expect(refreshAfter).not.toBe(refreshBefore);
    expect((await call(page, "/v1/auth/me")).status).toBe(200);

    expect((await call(page, "/v1/auth/logout", { method: "POST" })).status).toBe(204);
    expect(await sessionCookies(context)).toEqual([]);
    expect((await call(page, "/v1/auth/me")).status).toBe(401);
    await context.close();
  }, 60_000);

  it("refuses a foreign origin's login and cookie-authenticated logout; the session survives", async () => {
    const context = await browser.newContext();
    const app = await pageAt(context, frontEnds.app);
    const login = { method: "POST", form: { username: ACCOUNT.email, password: ACCOUNT.password } };
    expect((await call(app, "/v1/auth/jwt/login", login)).status).toBe(204);

    const foreign = await pageAt(context, frontEnds.foreign);
    // Logout and refresh take JSON, so a form is refused before the origin is even looked at (415).
    for (const path of ["/v1/auth/logout", "/v1/auth/refresh"]) {
      expect([403, 415]).toContain((await submitForm(foreign, frontEnds.foreign, path)).status());
    }
    expect((await submitForm(foreign, frontEnds.foreign, "/v1/auth/jwt/login", login.form)).status()).toBe(403);

    expect((await call(app, "/v1/auth/me")).status).toBe(200);
    await context.close();
  }, 60_000);
});
