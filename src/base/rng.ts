import { RadiomarkError } from './errors.js';

/** A source of uniform doubles in [0, 1). */
export type RandomSource = () => number;

/**
 * A fast seeded generator (sfc32, seeded through splitmix32) for reproducible sampling and
 * simulations. Not cryptographic and never used for key-dependent values.
 *
 * @example
 * ```ts
 * const rng = seededRandom(42);
 * rng(); // same sequence for the same seed, on every platform
 * ```
 */
export function seededRandom(seed: number): RandomSource {
  if (!Number.isSafeInteger(seed)) {
    throw new RadiomarkError('INVALID_ARGUMENT', `seed must be a safe integer (got ${String(seed)})`);
  }
  let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32), 0x9e3779b9);
  const next32 = (): number => {
    // splitmix32 step, to spread any seed over the generator's 128-bit state
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return z ^ (z >>> 15);
  };
  let a = next32();
  let b = next32();
  let c = next32();
  let d = next32();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/**
 * A generator seeded from the platform CSPRNG: unpredictable, for production sampling.
 *
 * @example
 * ```ts
 * const rng = randomSource();
 * ```
 */
export function randomSource(): RandomSource {
  const seed = globalThis.crypto.getRandomValues(new Uint32Array(2));
  return seededRandom(seed[0]! * 2 ** 21 + (seed[1]! >>> 11));
}
