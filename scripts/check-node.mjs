/**
 * The first step of `npm install`'s postinstall: stops an unsupported Node.js with one
 * line naming the version found and the one needed, before the TypeScript scripts
 * after it fail with ERR_UNKNOWN_FILE_EXTENSION. Plain JavaScript (no types, no
 * `import.meta.main`) so that Node.js 20 can run it too. What is needed is the
 * `engines` range of package.json, in the only two forms it uses: `>=X.Y.Z` and
 * `^X.Y.Z`, joined by `||`.
 *
 * @example
 * checkNodeVersion("20.19.0", "^22.18.0 || >=24.2.0");
 * // → "Gatehouse needs Node.js ^22.18.0 || >=24.2.0; this is Node.js 20.19.0. ..."
 * checkNodeVersion("24.11.0", "^22.18.0 || >=24.2.0"); // → undefined
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** `"22.18.0"` or `"v22.18.0"` as `[22, 18, 0]`. */
const parts = (version) => version.replace(/^v/, "").split(".").map(Number);

/** Whether `found` is at least `minimum`, both as `[major, minor, patch]`. */
function atLeast(found, minimum) {
  for (let i = 0; i < 3; i++) if (found[i] !== minimum[i]) return found[i] > minimum[i];
  return true;
}

/** Whether `version` satisfies one alternative of the range: `>=X.Y.Z` or `^X.Y.Z`. */
function satisfies(version, alternative) {
  const match = /^(>=|\^)\s*(\d+\.\d+\.\d+)$/.exec(alternative.trim());
  if (!match) throw new Error(`check-node understands only >=X.Y.Z and ^X.Y.Z, not "${alternative}"`);
  const minimum = parts(match[2]);
  return atLeast(version, minimum) && (match[1] === ">=" || version[0] === minimum[0]);
}

/**
 * The line to stop on when Node.js `found` does not satisfy the `needed` range, or
 * undefined when it does.
 *
 * @param {string} found e.g. `process.version`
 * @param {string} needed e.g. `"^22.18.0 || >=24.2.0"`
 * @returns {string | undefined}
 */
export function checkNodeVersion(found, needed) {
  const version = parts(found);
  if (needed.split("||").some((alternative) => satisfies(version, alternative))) return undefined;
  return `Gatehouse needs Node.js ${needed}; this is Node.js ${found.replace(/^v/, "")}. Install a supported version, then run npm install again.`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { engines } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const problem = checkNodeVersion(process.version, engines.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
