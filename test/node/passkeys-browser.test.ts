/**
 * Passkeys in a real browser (Debian's Chromium through playwright-core) with Chromium's
 * virtual authenticator (CDP `WebAuthn`), against the Worker under `wrangler dev`'s
 * engine with a real database, driven through the demo page a developer would use:
 * password login, add a passkey, log out, log in with the passkey alone, and be
 * refused once the passkey is deleted.
 */
import type { Browser, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlOverHttp } from "../../scripts/sql-over-http/server.ts";
import { hasChromium, launchChromium } from "./browser.ts";
import { type DevWorker, freePort, registerAccount, startDevWorker, startMigratedDatabase } from "./dev-worker.ts";

const ACCOUNT = { email: "passkey@example.com", password: "correct horse battery" };

/** The little of the DOM the waits use (this file is type-checked without the DOM library). */
interface PageDocument {
  getElementById(id: string): { textContent: string | null } | null;
}

interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  signCount: number;
}

describe.skipIf(!hasChromium)("passkeys in headless Chromium with a virtual authenticator", () => {
  let database: SqlOverHttp;
  let worker: DevWorker;
  let browser: Browser;
  /** WebAuthn needs a domain, not an IP address: the page is on http://localhost. */
  let pageOrigin: string;

  beforeAll(async () => {
    const local = await startMigratedDatabase("passkeys");
    database = local.database;
    const port = await freePort();
    pageOrigin = `http://localhost:${port}`;
    worker = await startDevWorker(
      { DATABASE_URL: local.url, RP_ID: "localhost", RP_ORIGINS: pageOrigin, RATE_LIMIT_LOGIN_PER_MINUTE: "100" },
      port,
    );
    await registerAccount(worker, ACCOUNT);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await database?.close();
  });

  /** Clicks `button` and waits for the status line to say something new matching `expected`. */
  async function clickAndExpect(page: Page, button: string, expected: RegExp): Promise<string> {
    const before = await page.textContent("#status");
    await page.click(button);
    await page.waitForFunction(
      (previous) =>
        (globalThis as unknown as { document: PageDocument }).document.getElementById("status")?.textContent !==
        previous,
      before,
    );
    const status = (await page.textContent("#status")) ?? "";
    expect(status).toMatch(expected);
    return status;
  }

  async function credentials(cdp: CDPSession, authenticatorId: string): Promise<VirtualCredential[]> {
    return ((await cdp.send("WebAuthn.getCredentials", { authenticatorId })) as { credentials: VirtualCredential[] })
      .credentials;
  }

  it("tells a visitor on an IP address to use localhost, where passkeys can work", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${worker.origin}/passkeys-demo`);
    expect(await page.textContent("#status")).toContain(`${pageOrigin}/passkeys-demo`);
    await context.close();
  });

  it("registers a passkey after a password login, logs in with it alone, and is refused once it is deleted", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = (await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    })) as { authenticatorId: string };

    const demo = await page.goto(`${pageOrigin}/passkeys-demo`);
    expect(demo?.status()).toBe(200);

    await page.fill("#login", ACCOUNT.email);
    await page.fill("#password", ACCOUNT.password);
    await clickAndExpect(page, "#password-login", /^Logged in as passkey@example\.com\.$/);

    await clickAndExpect(page, "#add-passkey", /^Added /);
    expect(await page.locator("#passkeys li").count()).toBe(1);
    const [stored] = await credentials(cdp, authenticatorId);
    expect(stored?.isResidentCredential).toBe(true);

    await clickAndExpect(page, "#logout", /^Logged out\.$/);
    await clickAndExpect(page, "#passkey-login", /^Logged in as passkey@example\.com\.$/);
    // The authenticator signed, and its counter moved on.
    expect((await credentials(cdp, authenticatorId))[0]?.signCount).toBeGreaterThan(stored?.signCount ?? 0);

    await clickAndExpect(page, ".delete-passkey", /^Deleted /);
    expect(await page.locator("#passkeys li").count()).toBe(0);
    await clickAndExpect(page, "#logout", /^Logged out\.$/);
    // The authenticator still holds the credential; the server no longer accepts it.
    await clickAndExpect(page, "#passkey-login", /^Error: 401 invalid_credentials/);
    await context.close();
  }, 90_000);
});
