import { RadiomarkError } from '../base/errors.js';
import { hashWords64 } from '../base/tuple-hash.js';

/**
 * Unkeyed 64-bit hash of the raw window `tokens[end - h, end)` (the h tokens before
 * position `end`), written to `out[0]`, `out[1]`. Key-independent on purpose: filters and
 * emission ledgers built from it can be shared between keys (and can be published), and
 * selecting positions by it cannot correlate with the colours of the key being tested.
 * `scratch` must hold at least h words.
 *
 * @example
 * ```ts
 * const out = new Uint32Array(2);
 * hashRawWindow([5, 6, 7], 3, 2, new Uint32Array(2), out); // hash of (6, 7)
 * ```
 */
export function hashRawWindow(tokens: ArrayLike<number>, end: number, h: number, scratch: Uint32Array, out: Uint32Array): void {
  for (let j = 0; j < h; j++) scratch[j] = tokens[end - h + j]!;
  // Salt the length so windows of different h never share a hash.
  scratch[h] = 0x52574e00 + h;
  hashWords64(scratch, h + 1, out);
}

/**
 * Longest raw window filters and ledgers record.
 *
 * @example
 * ```ts
 * checkRawWindow(MAX_RAW_WINDOW); // ok
 * ```
 */
export const MAX_RAW_WINDOW = 15;

/**
 * Throws `INVALID_ARGUMENT` unless `window` is a raw window length filters and ledgers
 * support (1 to 15 tokens).
 *
 * @example
 * ```ts
 * checkRawWindow(2);
 * ```
 */
export function checkRawWindow(window: number): void {
  if (!Number.isInteger(window) || window < 1 || window > MAX_RAW_WINDOW) {
    throw new RadiomarkError('INVALID_ARGUMENT', `window must be an integer in 1..${MAX_RAW_WINDOW} (got ${String(window)})`);
  }
}
