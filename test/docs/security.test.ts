// `import.meta.glob`, which Vite (under vitest) expands to every matching file at build time.
/// <reference types="vite/types/importMeta.d.ts" />
import { describe, expect, it } from "vitest";
import page from "../../SECURITY.md?raw";

/** Every test file's text, by its path from the repository root. */
const testFiles = new Map(
  Object.entries(
    import.meta.glob<string>(["/test/**/*.test.ts", "/src/**/*.test.ts", "/scripts/**/*.test.ts"], {
      query: "?raw",
      import: "default",
      eager: true,
    }),
  ).map(([path, text]) => [path.slice(1), text]),
);

/** A cited path: `src/…` and `scripts/…` as they are, any other under `test/`; `*` matches within a folder. */
function filesCited(cited: string): string[] {
  const path = /^(src|scripts|test)\//.test(cited) ? cited : `test/${cited}`;
  const pattern = new RegExp(`^${path.replaceAll(".", "\\.").replaceAll("*", "[^/]*")}$`);
  return [...testFiles.keys()].filter((file) => pattern.test(file));
}

/**
 * Where a cited title may be found in a file's text: as written, or, for a title that
 * `it.each` makes from a template, by the template's text before its first placeholder.
 */
function titleIn(text: string, title: string): boolean {
  if (text.includes(title)) return true;
  const templates = text.matchAll(/["'`]([^"'`\n]+?)(?:%[sdif]|\$\w)/g);
  return [...templates].some(([, prefix]) => prefix && prefix.length > 10 && title.startsWith(prefix));
}

interface Citation {
  row: string;
  file: string;
  titles: string[];
}

/**
 * The citations of every "Test" cell: `;`-separated items, each naming files (or going on
 * with the last one named), then `›`-separated titles, abbreviated with `…`; a note in
 * parentheses after a title is not part of it.
 */
function citations(): Citation[] {
  const found: Citation[] = [];
  const lines = page.split("\n");
  let testColumn = -1;
  for (const line of lines) {
    if (!line.startsWith("|")) {
      testColumn = -1;
      continue;
    }
    const cells = line
      .slice(1, -1)
      .split("|")
      .map((cell) => cell.trim());
    if (testColumn < 0) {
      testColumn = cells.indexOf("Test");
      continue;
    }
    const cell = cells[testColumn];
    if (cell === undefined || /^-+$/.test(cell)) continue;
    let files: string[] = [];
    for (const item of cell.split(";")) {
      const named = [...item.matchAll(/[\w./*-]+\.test\.ts/g)].map(([path]) => path);
      if (named.length > 0) files = named;
      const titles = item
        .split("›")
        .slice(1)
        .map(
          (title) =>
            title
              .split(/…| \(|\)/)[0]
              ?.replace(/^\s*\(?/, "")
              .trim() ?? "",
        )
        .filter((title) => title.length > 0);
      for (const file of named.length > 0 ? named : titles.length > 0 ? files.slice(-1) : []) {
        // With several files named, the titles belong to the last one.
        found.push({ row: cells[0] ?? "", file, titles: file === files.at(-1) ? titles : [] });
      }
    }
  }
  return found;
}

describe("SECURITY.md", () => {
  it("cites test files that exist", () => {
    const cited = citations();
    expect(cited.length).toBeGreaterThan(50);
    const missing = cited.filter(({ file }) => filesCited(file).length === 0).map(({ row, file }) => `${row}: ${file}`);
    expect(missing, "fix these citations in SECURITY.md (a path without src/ is under test/)").toEqual([]);
  });

  it("cites test titles found in the files cited", () => {
    const stale = citations().flatMap(({ row, file, titles }) =>
      titles
        .filter((title) => !filesCited(file).some((path) => titleIn(testFiles.get(path) ?? "", title)))
        .map((title) => `${row}: ${file} › ${title}`),
    );
    expect(stale, "fix these titles in SECURITY.md, or the tests they name").toEqual([]);
  });
});
