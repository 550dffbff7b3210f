import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { checkNodeVersion } from "./check-node.mjs";

const needed = (JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } }).engines.node;

describe("the Node.js check of npm install", () => {
  // 22.18.0 and 23.6.0 run .ts files without a flag; import.meta.main (which the
  // scripts' entry points test) came in 24.2.0 and 22.18.0; vitest supports 22, 24, 26+.
  it.each(["22.18.0", "v22.18.0", "22.21.1", "24.2.0", "24.11.0", "26.0.0", "27.1.0"])("accepts %s", (found) => {
    expect(checkNodeVersion(found, needed)).toBeUndefined();
  });

  it.each(["20.19.0", "22.12.0", "22.17.1", "23.11.0", "24.1.0", "25.2.1"])("refuses %s in one line", (found) => {
    const line = checkNodeVersion(found, needed);
    expect(line).toBe(
      `Gatehouse needs Node.js ${needed}; this is Node.js ${found}. Install a supported version, then run npm install again.`,
    );
  });

  it("names the v-prefixed process.version without its v", () => {
    expect(checkNodeVersion("v20.19.0", ">=22.18.0")).toContain("this is Node.js 20.19.0.");
  });

  it("refuses a range form it does not understand rather than passing it", () => {
    expect(() => checkNodeVersion("24.2.0", "~24.2.0")).toThrow(/only >=X.Y.Z and \^X.Y.Z/);
  });

  it("passes on this Node.js, reading the range from package.json", async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["scripts/check-node.mjs"]);
    expect(stdout + stderr).toBe("");
  });
});
