import type { Bindings } from "../../core/env.ts";

const FLAG = /^FEATURE_([A-Z0-9_]+)$/;

/**
 * The feature flags of this deployment: every `FEATURE_<NAME>` binding set to
 * `true` or `false`, as `{ name: boolean }` with the name lower-cased. Any other
 * value is ignored rather than guessed at.
 *
 * @example
 * if (getFeatureFlags(c.env).new_dashboard) { … }
 */
export function getFeatureFlags(env: Bindings): Record<string, boolean> {
  const flags: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = FLAG.exec(name);
    if (match && (value === "true" || value === "false")) flags[(match[1] as string).toLowerCase()] = value === "true";
  }
  return flags;
}
