import { RadiomarkError } from '../base/errors.js';

/**
 * Lowercase hex of bytes.
 *
 * @example
 * ```ts
 * bytesToHex(Uint8Array.of(1, 255)); // '01ff'
 * ```
 */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * Bytes of a hex string of exactly `length` bytes; `INPUT_FORMAT` error naming `what` otherwise.
 *
 * @example
 * ```ts
 * hexToBytes('01ff', 2, 'public key'); // Uint8Array [1, 255]
 * ```
 */
export function hexToBytes(hex: unknown, length: number, what: string): Uint8Array {
  if (typeof hex !== 'string' || hex.length !== 2 * length || !/^[0-9a-f]*$/.test(hex)) {
    throw new RadiomarkError('INPUT_FORMAT', `${what} must be ${2 * length} lowercase hex characters`);
  }
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
