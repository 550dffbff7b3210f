/**
 * The messages the Worker hands to its `EMAIL` binding (Cloudflare Email Service,
 * simulated by Miniflare inside workerd). The binding itself still receives every
 * message; this only keeps a copy, as a mail server's outbox would.
 */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { afterResponses } from "./harness.ts";

export interface SentEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

const sent: SentEmail[] = [];
const binding = (env as unknown as { EMAIL: SendEmail }).EMAIL;
const send = binding.send;
// Reflect.apply, since any property read on an RPC method (even `bind`) is a remote call.
binding.send = ((message: SentEmail) => {
  sent.push(message);
  return Reflect.apply(send, binding, [message]);
}) as SendEmail["send"];

/** Every message sent to `address` so far, oldest first. */
export const emailsTo = (address: string): SentEmail[] =>
  sent.filter((email) => email.to.toLowerCase() === address.toLowerCase());

/** The message to `address` after the first `after` ones, once every request so far has sent its emails (after its response). */
export async function nextEmailTo(address: string, after: number): Promise<SentEmail> {
  await afterResponses();
  const email = emailsTo(address)[after];
  expect(email, `an email to ${address}`).toBeDefined();
  return email as SentEmail;
}

/** The token an account email carries: the code to paste, which is also the link's `#token=`. */
export function tokenIn(email: SentEmail): string {
  const code = /Or paste this code: (\S+)/.exec(email.text)?.[1];
  expect(email.text).toContain(`#token=${code}`);
  return code as string;
}
