/**
 * `/docs` in a real browser (Debian's Chromium through playwright-core) with every
 * request off the Worker's own origin blocked: the page must render the operation
 * list from assets the Worker serves itself.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "./browser.ts";
import { type DevWorker, startDevWorker } from "./dev-worker.ts";

describe.skipIf(!hasChromium)("/docs in headless Chromium, offline", () => {
  let worker: DevWorker;
  let browser: Browser;

  beforeAll(async () => {
    worker = await startDevWorker();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it("renders the operation list with nothing fetched from elsewhere", async () => {
    const { origin } = worker;
    const context = await browser.newContext();
    const blocked: string[] = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      blocked.push(url);
      return route.abort("internetdisconnected");
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));

    await page.goto(`${origin}/docs`);
    await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
    const paths = await page.locator(".opblock-summary-path").allTextContents();
    expect(paths.map((path) => path.replace(/\u200b/g, ""))).toEqual(
      expect.arrayContaining(["/health", "/health/ready", "/.well-known/security.txt"]),
    );
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
