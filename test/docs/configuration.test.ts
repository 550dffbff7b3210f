import { describe, expect, it } from "vitest";
import page from "../../docs/configuration.md?raw";
import { EnvSchema } from "../../src/core/env.ts";

describe("docs/configuration.md", () => {
  it("documents every setting of the configuration schema", () => {
    const missing = Object.keys(EnvSchema.shape).filter((name) => !page.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
