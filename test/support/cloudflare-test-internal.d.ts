// The one export of @cloudflare/vitest-plugin's internal module the harness uses: every
// `waitUntil` of the main Worker's handlers is recorded there, and this waits for them all.
declare module "cloudflare:test-internal" {
  export function waitForGlobalWaitUntil(): Promise<void>;
}
