/**
 * `/docs` in a real browser (Debian's Chromium through playwright-core) with every
 * request off the Worker's own origin blocked: the page must render the operation
 * list from assets the Worker serves itself.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevWorker, startDevWorker } from "./dev-worker.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

describe.skipIf(!hasChromium)("/docs in headless Chromium, offline", () => {
  let worker: DevWorker;
  let browser: Browser;

  beforeAll(async () => {
    worker = await startDevWorker();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
    });
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
