/**
 * Fills the Worker's static assets directory: the Swagger UI files that `/docs` serves
 * (so the docs work with no internet) and the pages of `assets/` (the passkeys demo).
 * Runs after `npm install`.
 */
import { copyFileSync, cpSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import { SWAGGER_UI_FILES } from "../src/routes/infra/swagger-ui-files.ts";

const ASSETS_DIR = "build/assets";

const source = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const target = join(ASSETS_DIR, "swagger-ui");
mkdirSync(target, { recursive: true });
for (const file of SWAGGER_UI_FILES) copyFileSync(join(source, file), join(target, file));
cpSync("assets", ASSETS_DIR, { recursive: true });
