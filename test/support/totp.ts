import { Secret } from "otpauth";
import { totpCode } from "../../src/credentials/totp.ts";
import { bearer, requestJson, type TestUser, type TokenPair } from "./harness.ts";

/** Starts TOTP setup for `user` in the session of `tokens` and returns the pending secret's bytes. */
export async function pendingTotpSecret(user: Pick<TestUser, "password">, tokens: TokenPair): Promise<Uint8Array> {
  const setup = await requestJson(
    "POST",
    "/v1/auth/mfa/totp/setup",
    { password: user.password },
    bearer(tokens.access_token),
  );
  if (setup.status !== 200) throw new Error(`TOTP setup answered ${setup.status}`);
  return Secret.fromBase32(((await setup.json()) as { secret: string }).secret).bytes;
}

/** Turns TOTP on for `user` through the API (a code one step back, as an app shows it); returns the secret. */
export async function enableTotp(user: Pick<TestUser, "password">, tokens: TokenPair): Promise<Uint8Array> {
  const secret = await pendingTotpSecret(user, tokens);
  const code = await totpCode(secret, Date.now() - 30_000);
  const enabled = await requestJson("POST", "/v1/auth/mfa/totp/enable", { code }, bearer(tokens.access_token));
  if (enabled.status !== 200) throw new Error(`TOTP enable answered ${enabled.status}`);
  return secret;
}
