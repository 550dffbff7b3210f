import type { Scope } from "../api-keys/scopes.ts";
import type { SessionAccess } from "../sessions/session-family.ts";

/** Who a request acts for. */
export type Auth =
  | {
      kind: "user";
      userId: string;
      sessionId: string;
      via: "bearer" | "cookie";
      /** The session's current role, from its Durable Object; null with SESSION_REVOCATION_CHECK off. */
      access: SessionAccess | null;
      /** When the holder last proved who they are (ms), from the same check; null with SESSION_REVOCATION_CHECK off. */
      authenticatedAt: number | null;
    }
  | {
      kind: "api_key";
      keyId: string;
      /** The owner the key acts for; null for a service key. */
      userId: string | null;
      scopes: Scope[];
      ownerAccess: SessionAccess | null;
    }
  | { kind: "admin_secret" };

export type UserAuth = Extract<Auth, { kind: "user" }>;
export type KeyAuth = Extract<Auth, { kind: "api_key" }>;

/** Who did it, as an audit event's actor: the user, the key, or the admin secret. */
export const actorOf = (auth: Auth): { kind: Auth["kind"]; id: string | null } =>
  auth.kind === "user"
    ? { kind: "user", id: auth.userId }
    : auth.kind === "api_key"
      ? { kind: "api_key", id: auth.keyId }
      : { kind: "admin_secret", id: null };
