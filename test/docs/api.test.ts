import { describe, expect, it } from "vitest";
import page from "../../docs/api.md?raw";
import { DEFAULT_SCOPES, SCOPES } from "../../src/api-keys/scopes.ts";
import { ERROR_CODES } from "../../src/core/errors.ts";

/** The rows of the table under `heading` whose first cell is a `code`, as their cells. */
function tableRows(heading: string): string[][] {
  const section = page.split(/^(?=#{2,3} )/m).find((part) => part.startsWith(heading));
  if (!section) throw new Error(`docs/api.md has no "${heading}" section`);
  return section
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^\| `[^`]+` +\|/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim().replaceAll("`", "")),
    );
}

describe("docs/api.md", () => {
  it("lists every scope of src/api-keys/scopes.ts once, marking the default set", () => {
    const documented = tableRows("## API keys").map(([scope, , inDefault]) => [scope, inDefault]);
    const code = SCOPES.map((scope) => [scope, (DEFAULT_SCOPES as readonly string[]).includes(scope) ? "yes" : "no"]);
    expect(documented, 'update the scope table in docs/api.md, "API keys", to match SCOPES and DEFAULT_SCOPES').toEqual(
      code,
    );
  });

  it("lists every error code of src/core/errors.ts once, with its status", () => {
    const documented = tableRows("## Errors").map(([code, status]) => [code, Number(status)]);
    const codes = Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]);
    expect(documented, 'update the table in docs/api.md, "Errors", to match ERROR_CODES').toEqual(codes);
  });
});
