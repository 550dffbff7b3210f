/**
 * A software WebAuthn authenticator for the Worker tests: it keeps a real key pair
 * (Web Crypto) and answers creation and request options the way a browser's
 * `PublicKeyCredential.toJSON()` does, with `fmt: "none"` attestation. Each answer can
 * be bent one way (another origin, RP ID, counter, no user verification) to test a
 * refusal. The browser test (test/node/passkeys-browser.test.ts) uses Chromium's
 * virtual authenticator instead.
 */
import { decodeIEEEP1363ECDSASignature, p256 } from "@oslojs/crypto/ecdsa";
import { fromBase64Url, toBase64Url } from "../../src/core/encoding.ts";

export type Algorithm = "ES256" | "EdDSA" | "RS256";

/** The ways a test may bend one answer. */
export interface Bend {
  origin?: string;
  rpId?: string;
  type?: string;
  userVerified?: boolean;
  /** The counter to report; by default one more than the last. */
  counter?: number;
  challenge?: string;
  crossOrigin?: boolean;
  /** Registers a public key that is not a point on its curve (ES256). */
  offCurveKey?: boolean;
}

export interface CreationOptions {
  challenge: string;
  rp: { id: string };
  user: { id: string };
}

export interface RequestOptions {
  challenge: string;
  rpId: string;
}

const KEYS: Record<Algorithm, { generate: SubtleCryptoGenerateKeyAlgorithm; cose: number }> = {
  ES256: { generate: { name: "ECDSA", namedCurve: "P-256" }, cose: -7 },
  EdDSA: { generate: { name: "Ed25519" }, cose: -8 },
  RS256: {
    generate: {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    cose: -257,
  },
};

/** Just enough CBOR (RFC 8949) for attestation objects and COSE keys: integers, bytes, text, maps. */
export function cbor(value: number | string | Uint8Array | Map<number | string, unknown>): Uint8Array {
  const head = (major: number, length: number): number[] => {
    if (length < 24) return [(major << 5) | length];
    if (length < 0x100) return [(major << 5) | 24, length];
    if (length < 0x10000) return [(major << 5) | 25, length >> 8, length & 0xff];
    return [(major << 5) | 26, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
  };
  if (typeof value === "number") return new Uint8Array(value >= 0 ? head(0, value) : head(1, -1 - value));
  if (typeof value === "string") {
    const bytes = new TextEncoder().encode(value);
    return new Uint8Array([...head(3, bytes.length), ...bytes]);
  }
  if (value instanceof Uint8Array) return new Uint8Array([...head(2, value.length), ...value]);
  const parts = [...value].flatMap(([key, item]) => [cbor(key), cbor(item as Parameters<typeof cbor>[0])]);
  return new Uint8Array([...head(5, value.size), ...parts.flatMap((part) => [...part])]);
}

const sha256 = async (bytes: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
const text = (value: string) => new TextEncoder().encode(value);

export class SoftwareAuthenticator {
  readonly credentialId = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  counter = 0;
  userHandle: string | undefined;

  private constructor(
    readonly algorithm: Algorithm,
    readonly origin: string,
    private readonly keys: CryptoKeyPair,
  ) {}

  static async create(origin: string, algorithm: Algorithm = "ES256"): Promise<SoftwareAuthenticator> {
    const keys = (await crypto.subtle.generateKey(KEYS[algorithm].generate, false, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    return new SoftwareAuthenticator(algorithm, origin, keys);
  }

  /** The credential `navigator.credentials.create(options)` would give, as JSON. */
  async register(options: CreationOptions, bend: Bend = {}) {
    this.userHandle = options.user.id;
    const credentialId = fromBase64Url(this.credentialId);
    const attested = new Uint8Array([
      ...new Uint8Array(16), // AAGUID: none
      credentialId.length >> 8,
      credentialId.length & 0xff,
      ...credentialId,
      ...(await this.coseKey(bend.offCurveKey)),
    ]);
    const authenticatorData = await this.authenticatorData(bend.rpId ?? options.rp.id, bend, 0x40, attested);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: {
        clientDataJSON: this.clientData("webauthn.create", options.challenge, bend),
        attestationObject: toBase64Url(
          cbor(
            new Map<string, unknown>([
              ["fmt", "none"],
              ["attStmt", new Map()],
              ["authData", authenticatorData],
            ]),
          ),
        ),
        transports: ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  /** The assertion `navigator.credentials.get(options)` would give, as JSON. */
  async assert(options: RequestOptions, bend: Bend = {}) {
    this.counter = bend.counter ?? this.counter + 1;
    const authenticatorData = await this.authenticatorData(bend.rpId ?? options.rpId, bend, 0);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, bend);
    const message = new Uint8Array([...authenticatorData, ...(await sha256(fromBase64Url(clientDataJSON)))]);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: {
        clientDataJSON,
        authenticatorData: toBase64Url(authenticatorData),
        signature: toBase64Url(await this.sign(message)),
        userHandle: this.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  private clientData(type: string, challenge: string, bend: Bend): string {
    return toBase64Url(
      text(
        JSON.stringify({
          type: bend.type ?? type,
          challenge: bend.challenge ?? challenge,
          origin: bend.origin ?? this.origin,
          crossOrigin: bend.crossOrigin ?? false,
        }),
      ),
    );
  }

  private async authenticatorData(rpId: string, bend: Bend, extraFlags: number, attested = new Uint8Array()) {
    // UP, UV unless bent off, BE and BS (a synced passkey), plus AT when a credential is attested.
    const flags = 0x01 | (bend.userVerified === false ? 0 : 0x04) | 0x08 | 0x10 | extraFlags;
    const counter = this.counter;
    return new Uint8Array([
      ...(await sha256(text(rpId))),
      flags,
      (counter >>> 24) & 0xff,
      (counter >> 16) & 0xff,
      (counter >> 8) & 0xff,
      counter & 0xff,
      ...attested,
    ]);
  }

  private async coseKey(offCurve = false): Promise<Uint8Array> {
    const jwk = (await crypto.subtle.exportKey("jwk", this.keys.publicKey)) as JsonWebKey;
    const b = (value: string | undefined) => fromBase64Url(value ?? "");
    const cose = KEYS[this.algorithm].cose;
    if (this.algorithm === "ES256") {
      return cbor(
        new Map<number, number | Uint8Array>([
          [1, 2],
          [3, cose],
          [-1, 1],
          [-2, b(jwk.x)],
          [-3, offCurve ? new Uint8Array(32).fill(7) : b(jwk.y)],
        ]),
      );
    }
    if (this.algorithm === "EdDSA") {
      return cbor(
        new Map<number, number | Uint8Array>([
          [1, 1],
          [3, cose],
          [-1, 6],
          [-2, b(jwk.x)],
        ]),
      );
    }
    return cbor(
      new Map<number, number | Uint8Array>([
        [1, 3],
        [3, cose],
        [-1, b(jwk.n)],
        [-2, b(jwk.e)],
      ]),
    );
  }

  private async sign(message: Uint8Array): Promise<Uint8Array> {
    const algorithm = this.algorithm === "ES256" ? { name: "ECDSA", hash: "SHA-256" } : KEYS[this.algorithm].generate;
    const signature = new Uint8Array(await crypto.subtle.sign(algorithm, this.keys.privateKey, message));
    // Web Crypto signs ECDSA as r || s; WebAuthn carries it in DER.
    return this.algorithm === "ES256" ? decodeIEEEP1363ECDSASignature(p256, signature).encodePKIX() : signature;
  }
}
