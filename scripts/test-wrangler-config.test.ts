import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { wranglerConfigForTests } from "./test-wrangler-config.ts";

/** The bindings wrangler gives a Worker (as the Vitest plugin asks for them) under `configPath`. */
const bindingsUnder = (configPath: string) =>
  unstable_getMiniflareWorkerOptions(configPath).workerOptions.bindings as Record<string, unknown>;

describe("the tests' wrangler configuration", () => {
  // The project's wrangler.toml in a folder of its own, beside a developer's .dev.vars.
  const project = mkdtempSync(join(tmpdir(), "wrangler-config-"));
  copyFileSync("wrangler.toml", join(project, "wrangler.toml"));
  writeFileSync(join(project, ".dev.vars"), "RP_ORIGINS='http://localhost:9999'\nENVIRONMENT='development'\n");
  const copy = wranglerConfigForTests(join(project, "wrangler.toml"), join(project, "build/test-wrangler"));

  it("keeps a developer's .dev.vars out, where wrangler.toml itself lets it in", () => {
    expect(bindingsUnder(join(project, "wrangler.toml"))).toMatchObject({ RP_ORIGINS: "http://localhost:9999" });
    const bindings = bindingsUnder(copy);
    expect(bindings).not.toHaveProperty("RP_ORIGINS");
    expect(bindings).toMatchObject({ ENVIRONMENT: "production" });
  });

  it("is wrangler.toml with its files named from the project's folder", () => {
    const written = JSON.parse(readFileSync(copy, "utf8"));
    expect(written).toMatchObject({
      name: "gatehouse",
      main: join(project, "src/index.ts"),
      assets: { directory: join(project, "build/assets"), binding: "ASSETS" },
      alias: { "../locales/index.js": join(project, "src/core/zod-locales.ts") },
    });
    expect(written.durable_objects.bindings.map((binding: { name: string }) => binding.name)).toEqual([
      "RATE_LIMITER",
      "SESSION_FAMILY",
    ]);
  });
});
