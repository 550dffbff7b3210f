import { fromBase64Url, toBase64Url } from "../../src/core/encoding.ts";

/** A real cursor with its value at `index` replaced, encoded the way the lists encode theirs. */
export function reforge(cursor: string, index: number, value: unknown): string {
  const decoded = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))) as unknown[];
  decoded[index] = value;
  return toBase64Url(new TextEncoder().encode(JSON.stringify(decoded)));
}
