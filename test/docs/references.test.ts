// `import.meta.glob`, which Vite (under vitest) expands to every matching file at build time.
/// <reference types="vite/types/importMeta.d.ts" />
import { describe, expect, it } from "vitest";

/** The project's own text: its code, its docs and its configuration, by path from the repository root. */
const texts = Object.entries(
  import.meta.glob<string>(
    ["/src/**/*.ts", "/scripts/**/*.ts", "/docs/**/*.md", "/*.md", "/wrangler.toml", "/biome.json"],
    { query: "?raw", import: "default", eager: true },
  ),
);

describe("the repository documents itself", () => {
  it("cites no document it does not hold: DESIGN.md is the team's, not the project's", () => {
    expect(texts.length).toBeGreaterThan(100);
    const citing = texts.filter(([, text]) => text.includes("DESIGN.md")).map(([path]) => path);
    expect(citing, "point at README.md or docs/ instead").toEqual([]);
  });
});
