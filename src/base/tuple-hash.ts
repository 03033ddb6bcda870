/**
 * Unkeyed 64-bit hash of a short list of 32-bit words, for de-duplication tapes.
 *
 * It is deliberately *not* keyed: which tuples count as repeats must not depend on the
 * watermark key, or the set of scored tuples could correlate with their colours. Two
 * independent 32-bit lanes make accidental collisions negligible (about n^2 / 2^65).
 *
 * Writes the two halves to `out[0]` and `out[1]`.
 *
 * @example
 * ```ts
 * const out = new Uint32Array(2);
 * hashWords64(Uint32Array.of(17, 42), 2, out);
 * ```
 */
export function hashWords64(words: ArrayLike<number>, count: number, out: Uint32Array): void {
  let a = 0x243f6a88 ^ count;
  let b = 0x85a308d3 ^ Math.imul(count, 0x9e3779b9);
  for (let i = 0; i < count; i++) {
    const w = words[i]! | 0;
    a = Math.imul(rotl(a ^ w, 13), 0x9e3779b1) + 0x7f4a7c15;
    b = Math.imul(rotl(b + w, 17), 0x85ebca77) ^ 0x165667b1;
  }
  out[0] = fmix(a);
  out[1] = fmix(b ^ a);
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
