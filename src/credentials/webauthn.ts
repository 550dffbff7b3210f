import { bigIntBytes } from "@oslojs/binary";
import { decodeCBORToNativeValueNoLeftoverBytes } from "@oslojs/cbor";
import {
  ClientDataType,
  type COSEPublicKey,
  coseAlgorithmEdDSA,
  coseAlgorithmES256,
  coseAlgorithmRS256,
  coseEllipticCurveEd25519,
  coseEllipticCurveP256,
  parseAuthenticatorData,
  parseClientDataJSON,
} from "@oslojs/webauthn";
import { timingSafeEqual } from "../core/constant-time.ts";
import { fromBase64Url, toBase64Url } from "../core/encoding.ts";
import type { PublicKeyJwk } from "../db/schema/passkeys.ts";

/** Where passkeys are valid: the RP ID (a domain) and the exact origins pages call from. */
export interface RelyingParty {
  id: string;
  name: string;
  origins: readonly string[];
}

/** The algorithms a passkey may sign with, most preferred first (COSE numbers). */
export const SUPPORTED_ALGORITHMS = [coseAlgorithmEdDSA, coseAlgorithmES256, coseAlgorithmRS256] as const;

/**
 * A ceremony response that fails a check. `reason` names the check (never a stored
 * value), so an integrator can see which setting or step is wrong.
 */
export class PasskeyRejected extends Error {
  constructor(readonly reason: string) {
    super(`passkey rejected: ${reason}`);
  }
}

/** The parts of `PublicKeyCredential.toJSON()` of a registration, base64url. */
export interface RegistrationResponse {
  clientDataJSON: string;
  attestationObject: string;
}

/** The parts of `PublicKeyCredential.toJSON()` of a login, base64url. */
export interface AssertionResponse {
  clientDataJSON: string;
  authenticatorData: string;
  signature: string;
  userHandle?: string | undefined;
}

export interface RegisteredCredential {
  /** The challenge the response answers, for the caller to use up. */
  challenge: Uint8Array;
  credentialId: string;
  publicKey: PublicKeyJwk;
  algorithm: number;
  signCount: number;
  backupEligible: boolean;
  backedUp: boolean;
}

const BACKUP_ELIGIBLE = 0x08;
const BACKED_UP = 0x10;

/** The bytes of a response's base64url `field`, or a refusal naming it for anything that is not canonical base64url. */
function decode(field: string, text: string): Uint8Array {
  try {
    return fromBase64Url(text);
  } catch {
    throw new PasskeyRejected(`${field} is not base64url`);
  }
}

/** The client data of a ceremony: its type, and an origin the relying party lists; returns the challenge. */
function readClientData(rp: RelyingParty, encoded: Uint8Array, type: ClientDataType): Uint8Array {
  let clientData: ReturnType<typeof parseClientDataJSON>;
  try {
    clientData = parseClientDataJSON(encoded);
  } catch {
    throw new PasskeyRejected("client data is malformed");
  }
  if (clientData.type !== type) throw new PasskeyRejected("client data is of the other ceremony");
  if (!rp.origins.includes(clientData.origin)) throw new PasskeyRejected(`origin ${clientData.origin} is not allowed`);
  if (clientData.crossOrigin === true) throw new PasskeyRejected("the ceremony ran in a cross-origin frame");
  return clientData.challenge;
}

/** The authenticator data: made for this RP ID, with the user present and verified (a passkey is a second factor in itself). */
async function readAuthenticatorData(rp: RelyingParty, encoded: Uint8Array) {
  let data: ReturnType<typeof parseAuthenticatorData>;
  try {
    data = parseAuthenticatorData(encoded);
  } catch {
    throw new PasskeyRejected("authenticator data is malformed");
  }
  const rpIdHash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(rp.id)));
  if (!timingSafeEqual(data.relyingPartyIdHash, rpIdHash)) throw new PasskeyRejected("made for another RP ID");
  if (!data.userPresent) throw new PasskeyRejected("user not present");
  if (!data.userVerified) throw new PasskeyRejected("user not verified");
  const flags = encoded[32] ?? 0;
  return { data, backupEligible: (flags & BACKUP_ELIGIBLE) !== 0, backedUp: (flags & BACKED_UP) !== 0 };
}

/** A big-endian integer in exactly `length` bytes (JWK coordinates keep their leading zeros). */
function fixedLength(value: bigint, length: number): Uint8Array {
  const bytes = bigIntBytes(value);
  if (bytes.length > length) throw new PasskeyRejected("public key is malformed");
  const padded = new Uint8Array(length);
  padded.set(bytes, length - bytes.length);
  return padded;
}

/** A COSE public key as the JWK Web Crypto imports, for the algorithms Gatehouse offers. */
function toJwk(key: COSEPublicKey): { jwk: PublicKeyJwk; algorithm: number } {
  const algorithm = key.isAlgorithmDefined() ? key.algorithm() : Number.NaN;
  try {
    if (algorithm === coseAlgorithmES256) {
      const { curve, x, y } = key.ec2();
      if (curve === coseEllipticCurveP256) {
        const coordinate = (value: bigint) => toBase64Url(fixedLength(value, 32));
        return { jwk: { kty: "EC", crv: "P-256", x: coordinate(x), y: coordinate(y) }, algorithm };
      }
    } else if (algorithm === coseAlgorithmEdDSA) {
      const { curve, x } = key.okp();
      if (curve === coseEllipticCurveEd25519)
        return { jwk: { kty: "OKP", crv: "Ed25519", x: toBase64Url(x) }, algorithm };
    } else if (algorithm === coseAlgorithmRS256) {
      const { n, e } = key.rsa();
      return { jwk: { kty: "RSA", n: toBase64Url(bigIntBytes(n)), e: toBase64Url(bigIntBytes(e)) }, algorithm };
    }
  } catch {
    throw new PasskeyRejected("public key is malformed");
  }
  throw new PasskeyRejected(`algorithm ${algorithm} is not supported`);
}

/**
 * Checks a registration response (`navigator.credentials.create`): the ceremony type,
 * the origin, the RP ID, user presence and verification, and a supported key. The
 * attestation statement is not checked: Gatehouse asks for `attestation: "none"`, so
 * it trusts no authenticator model more than another.
 *
 * @example
 * const credential = await verifyRegistration(rp, body.response);
 * await useUpChallenge(credential.challenge); // single use is the caller's
 */
export async function verifyRegistration(
  rp: RelyingParty,
  response: RegistrationResponse,
): Promise<RegisteredCredential> {
  const challenge = readClientData(rp, decode("clientDataJSON", response.clientDataJSON), ClientDataType.Create);
  let attestation: unknown;
  try {
    attestation = decodeCBORToNativeValueNoLeftoverBytes(decode("attestationObject", response.attestationObject), 4);
  } catch {
    throw new PasskeyRejected("attestation object is malformed");
  }
  const authData = (attestation as { authData?: unknown } | null)?.authData;
  if (!(authData instanceof Uint8Array)) throw new PasskeyRejected("attestation object has no authenticator data");
  const { data, backupEligible, backedUp } = await readAuthenticatorData(rp, authData);
  if (!data.credential) throw new PasskeyRejected("no credential in the attestation");
  const { jwk, algorithm } = toJwk(data.credential.publicKey);
  // Stored keys must import at login: one Web Crypto refuses is refused here.
  if (!(await importPublicKey({ publicKey: jwk, algorithm }))) throw new PasskeyRejected("public key is malformed");
  return {
    challenge,
    credentialId: toBase64Url(data.credential.id),
    publicKey: jwk,
    algorithm,
    signCount: data.signatureCounter,
    backupEligible,
    backedUp,
  };
}

/** How Web Crypto imports and verifies with each supported COSE algorithm. */
const WEB_CRYPTO = new Map<number, { key: SubtleCryptoImportKeyAlgorithm; verify: SubtleCryptoSignAlgorithm }>([
  [coseAlgorithmES256, { key: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } }],
  [coseAlgorithmEdDSA, { key: { name: "Ed25519" }, verify: { name: "Ed25519" } }],
  [coseAlgorithmRS256, { key: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } }],
]);

/**
 * An ES256 signature as WebAuthn sends it (DER: a SEQUENCE of the INTEGERs r and s) in
 * the fixed-length r || s form Web Crypto verifies; null when it is not that shape.
 * Written here because the ASN.1 library that does it weighs 25 KB in the bundle.
 */
function p256SignatureFromDer(der: Uint8Array): Uint8Array | null {
  const size = 32;
  // A P-256 signature is at most 72 bytes, so every DER length is one byte.
  if (der[0] !== 0x30 || der[1] !== der.length - 2) return null;
  const raw = new Uint8Array(2 * size);
  let offset = 2;
  for (const half of [0, 1]) {
    const length = der[offset + 1] ?? 0;
    if (der[offset] !== 0x02 || length < 1 || length > size + 1 || offset + 2 + length > der.length) return null;
    let integer = der.subarray(offset + 2, offset + 2 + length);
    // DER adds a zero byte before an integer whose top bit is set (it would read as negative).
    if (integer.length === size + 1) {
      if (integer[0] !== 0) return null;
      integer = integer.subarray(1);
    }
    raw.set(integer, half * size + size - integer.length);
    offset += 2 + length;
  }
  return offset === der.length ? raw : null;
}

async function signatureValid(
  passkey: { publicKey: PublicKeyJwk; algorithm: number },
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const params = WEB_CRYPTO.get(passkey.algorithm);
  if (!params) return false;
  const raw = passkey.algorithm === coseAlgorithmES256 ? p256SignatureFromDer(signature) : signature;
  if (!raw) return false;
  const key = await importPublicKey(passkey);
  if (!key) return false;
  // A signature of the wrong length is an error to some algorithms, a mismatch to us.
  return crypto.subtle.verify(params.verify, key, raw, message).catch(() => false);
}

/** The passkey's key as Web Crypto holds it, or null for a key Web Crypto refuses (a malformed one). */
async function importPublicKey(passkey: { publicKey: PublicKeyJwk; algorithm: number }): Promise<CryptoKey | null> {
  const params = WEB_CRYPTO.get(passkey.algorithm);
  if (!params) return null;
  try {
    return await crypto.subtle.importKey("jwk", passkey.publicKey, params.key, false, ["verify"]);
  } catch {
    return null;
  }
}

/**
 * Reads a login response (`navigator.credentials.get`) and checks what needs no stored
 * state: the ceremony type, the origin, the RP ID, user presence and verification.
 * The caller then uses up `challenge`, finds the passkey, and asks `signedBy` whether
 * its key made the signature.
 *
 * @example
 * const assertion = await readAssertion(rp, body.response);
 * if (!(await assertion.signedBy(passkey))) throw …;
 */
export async function readAssertion(rp: RelyingParty, response: AssertionResponse) {
  const clientDataJSON = decode("clientDataJSON", response.clientDataJSON);
  const authenticatorData = decode("authenticatorData", response.authenticatorData);
  const signature = decode("signature", response.signature);
  const challenge = readClientData(rp, clientDataJSON, ClientDataType.Get);
  const { data, backedUp } = await readAuthenticatorData(rp, authenticatorData);
  const clientDataHash = new Uint8Array(await crypto.subtle.digest("SHA-256", clientDataJSON));
  const message = new Uint8Array(authenticatorData.length + clientDataHash.length);
  message.set(authenticatorData);
  message.set(clientDataHash, authenticatorData.length);
  return {
    challenge,
    signCount: data.signatureCounter,
    backedUp,
    userHandle: response.userHandle,
    signedBy: (passkey: { publicKey: PublicKeyJwk; algorithm: number }) => signatureValid(passkey, message, signature),
  };
}
