/**
 * Compares two byte strings in time that depends only on their lengths, never on
 * where they first differ.
 *
 * @example
 * timingSafeEqual(candidateHash, storedHash);
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/**
 * Compares two secrets of any length in constant time, by comparing their SHA-256
 * digests (equal length, so the length of the real secret does not leak either).
 *
 * @example
 * if (!(await secretsEqual(c.req.header("X-Admin-Secret") ?? "", env.ADMIN_SECRET))) throw …
 */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all(
    [given, expected].map((value) => crypto.subtle.digest("SHA-256", encoder.encode(value))),
  );
  return timingSafeEqual(new Uint8Array(a as ArrayBuffer), new Uint8Array(b as ArrayBuffer));
}
