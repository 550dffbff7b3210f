/**
 * The configuration the tests give wrangler: a copy of wrangler.toml in a folder of
 * its own, with its paths made absolute. Wrangler reads the `.dev.vars` (else the
 * `.env` files) beside the configuration it is given, and neither
 * `@cloudflare/vitest-plugin` (options `configPath` and `environment` only; an
 * environment's `.dev.vars.<name>` falls back to `.dev.vars`) nor `unstable_dev` (an
 * empty `envFiles` still reads `.dev.vars`) can turn that off. Beside the copy there is
 * none, so the settings a developer keeps for `npm run dev` (RP_ORIGINS, limits) never
 * change what the tests see.
 *
 * @example
 * cloudflareTest({ wrangler: { configPath: wranglerConfigForTests() } });
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { experimental_readRawConfig } from "wrangler";

/** The fields of a wrangler configuration that name files, relative to its folder. */
interface RawPaths {
  main?: string;
  assets?: { directory?: string };
  alias?: Record<string, string>;
}

const TEST_WRANGLER_FOLDER = "build/test-wrangler";

/** Writes the copy of `configPath` into `folder` and returns the copy's path. */
export function wranglerConfigForTests(configPath = "wrangler.toml", folder = TEST_WRANGLER_FOLDER): string {
  const { rawConfig } = experimental_readRawConfig({ config: configPath }) as { rawConfig: RawPaths };
  const absolute = (path: string) => resolve(dirname(configPath), path);
  const { main, assets, alias } = rawConfig;
  const copy = {
    ...rawConfig,
    ...(main && { main: absolute(main) }),
    ...(assets?.directory && { assets: { ...assets, directory: absolute(assets.directory) } }),
    // A value not starting with "." names a package, not a file.
    ...(alias && {
      alias: Object.fromEntries(
        Object.entries(alias).map(([from, to]) => [from, to.startsWith(".") ? absolute(to) : to]),
      ),
    }),
  };
  mkdirSync(folder, { recursive: true });
  const path = resolve(folder, "wrangler.json");
  writeFileSync(path, JSON.stringify(copy, null, 2));
  return path;
}
