import { fromBase64Url, toBase64Url } from "../core/encoding.ts";

/**
 * AES-256-GCM for TOTP secrets at rest, under MFA_ENCRYPTION_KEY. A sealed value is
 * `<key id>.<iv>.<ciphertext>`; the key id (the first bytes of the key's SHA-256)
 * says which key opens it, so MFA_PREVIOUS_ENCRYPTION_KEY keeps opening what it sealed
 * until the secret is sealed again under the current key. The user id is the
 * associated data: a sealed secret copied to another user's row does not open.
 *
 * @example
 * const box = await secretBox(env.MFA_ENCRYPTION_KEY, env.MFA_PREVIOUS_ENCRYPTION_KEY);
 * const sealed = await box.seal(secret, userId);
 * const opened = await box.open(sealed, userId); // { secret, stale: false }
 */
export async function secretBox(currentKey: string, previousKey?: string) {
  const keys = await Promise.all([currentKey, ...(previousKey ? [previousKey] : [])].map(importKey));
  const [current] = keys as [ImportedKey, ...ImportedKey[]];
  const aad = (userId: string) => new TextEncoder().encode(userId);

  return {
    async seal(secret: Uint8Array, userId: string): Promise<string> {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: aad(userId) },
        current.key,
        secret,
      );
      return `${current.id}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
    },

    /** The secret, and whether it was sealed under the previous key; throws if no key opens it. */
    async open(sealed: string, userId: string): Promise<{ secret: Uint8Array; stale: boolean }> {
      const [id, iv, ciphertext] = sealed.split(".");
      const key = keys.find((candidate) => candidate.id === id);
      if (!key || !iv || !ciphertext) throw new Error("no MFA key opens this secret");
      const secret = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64Url(iv), additionalData: aad(userId) },
        key.key,
        fromBase64Url(ciphertext),
      );
      return { secret: new Uint8Array(secret), stale: key !== current };
    },
  };
}

interface ImportedKey {
  id: string;
  key: CryptoKey;
}

async function importKey(encoded: string): Promise<ImportedKey> {
  const raw = fromBase64Url(encoded);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  return { id: toBase64Url(digest.slice(0, 6)), key };
}
