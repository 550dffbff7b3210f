/**
 * The passkey ceremonies through the API, for every test that needs a passkey: the
 * options, the software authenticator's answer (test/support/authenticator.ts), and
 * the request that sends it.
 */
import { expect } from "vitest";
import { type Algorithm, type CreationOptions, type RequestOptions, SoftwareAuthenticator } from "./authenticator.ts";
import { bearer, requestJson, type TokenPair } from "./harness.ts";

/** The page of the development relying party (RP_ID and RP_ORIGINS unset). */
export const PAGE_ORIGIN = "http://localhost:8787";

export async function registrationOptions<T extends CreationOptions>(tokens: TokenPair): Promise<T> {
  const response = await requestJson(
    "POST",
    "/v1/auth/passkeys/register/options",
    undefined,
    bearer(tokens.access_token),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

export async function loginOptions<T extends RequestOptions>(body: { login?: string } = {}): Promise<T> {
  const response = await requestJson("POST", "/v1/auth/passkeys/login/options", body);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

export const registerWith = (tokens: TokenPair, response: unknown, name?: string) =>
  requestJson("POST", "/v1/auth/passkeys/register", { response, name }, bearer(tokens.access_token));

export const logInWith = (
  response: unknown,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => requestJson("POST", "/v1/auth/passkeys/login", { response, ...extra }, headers);

/** Adds a passkey to the account of `tokens`; returns its authenticator and the passkey as the API shows it. */
export async function addPasskey(tokens: TokenPair, algorithm: Algorithm = "ES256") {
  const authenticator = await SoftwareAuthenticator.create(PAGE_ORIGIN, algorithm);
  const registered = await registerWith(
    tokens,
    await authenticator.register(await registrationOptions(tokens)),
    "Laptop",
  );
  expect(registered.status).toBe(201);
  const passkey = (await registered.json()) as { id: string; name: string };
  return { authenticator, passkey };
}

/** A passkey login with fresh request options. */
export async function passkeyLogin(
  authenticator: SoftwareAuthenticator,
  bend: Parameters<SoftwareAuthenticator["assert"]>[1] = {},
) {
  return logInWith(await authenticator.assert(await loginOptions(), bend));
}
