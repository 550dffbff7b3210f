export * from "./account-tokens.ts";
export * from "./api-keys.ts";
export * from "./audit-events.ts";
export * from "./mfa.ts";
export * from "./passkeys.ts";
export * from "./sessions.ts";
export * from "./users.ts";
