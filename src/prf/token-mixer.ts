/**
 * The per-token uniform ("mixer") and the green rule (docs/SPEC.md §4-5): given a 64-bit
 * context seed (seedLo, seedHi) from SipHash, each token id gets a 32-bit value; the token is
 * green iff that value is below `threshold = floor(gamma * 2^32)`.
 */
import { RadiomarkError } from '../base/errors.js';
import { wasmBias, wasmMask } from './bias-wasm.js';

/** Multiplier applied to `token ^ seedLo` (2^32 / golden ratio, odd). */
export const MIX_C1 = 0x9e3779b1;
/** First multiplier of the MurmurHash3 32-bit finaliser. */
export const MIX_C2 = 0x85ebca6b;
/** Second multiplier of the MurmurHash3 32-bit finaliser. */
export const MIX_C3 = 0xc2b2ae35;

const TWO32 = 4294967296;
/** Below this many logits the JS path is used: copying into WASM memory would not pay. */
const WASM_MIN_LOGITS = 256;

/**
 * The 32-bit uniform of `token` under the context seed (seedLo, seedHi), as an unsigned integer
 * in 0..2^32-1. Arguments are taken modulo 2^32 (ToInt32); no checks on this hot path.
 *
 * @example
 * ```ts
 * const green = tokenUniform(seedLo, seedHi, tokenId) < greenThreshold(0.25);
 * ```
 */
export function tokenUniform(seedLo: number, seedHi: number, token: number): number {
  let x = Math.imul(token ^ seedLo, MIX_C1) ^ seedHi;
  x ^= x >>> 16;
  x = Math.imul(x, MIX_C2);
  x ^= x >>> 13;
  x = Math.imul(x, MIX_C3);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The green threshold `floor(gamma * 2^32)`: a token is green iff its uniform is below it.
 * Throws `INVALID_ARGUMENT` unless 0 < gamma < 1 and the threshold is at least 1
 * (gamma >= 2^-32).
 */
export function greenThreshold(gamma: number): number {
  if (typeof gamma !== 'number' || !(gamma > 0 && gamma < 1)) {
    throw new RadiomarkError('INVALID_ARGUMENT', `gamma must be in (0, 1), got ${String(gamma)}`);
  }
  const t = Math.floor(gamma * TWO32); // exact: scaling by a power of two
  if (t < 1) throw new RadiomarkError('INVALID_ARGUMENT', 'gamma must be at least 2^-32');
  return t;
}

/**
 * The exact probability that a token is green under the null hypothesis: `threshold / 2^32`.
 * Use it (not the nominal gamma) in the binomial test.
 */
export function effectiveGamma(threshold: number): number {
  checkThreshold(threshold);
  return threshold / TWO32;
}

/** True iff `token` is green under the context seed: `tokenUniform(...) < threshold`. */
export function isGreen(seedLo: number, seedHi: number, token: number, threshold: number): boolean {
  return tokenUniform(seedLo, seedHi, token) < threshold;
}

function checkThreshold(threshold: number): void {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold >= TWO32) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'threshold must be an integer in 0..2^32-1');
  }
}

function checkSeed(seedLo: number, seedHi: number): void {
  if (
    !Number.isInteger(seedLo) ||
    !Number.isInteger(seedHi) ||
    seedLo < -0x80000000 ||
    seedLo >= TWO32 ||
    seedHi < -0x80000000 ||
    seedHi >= TWO32
  ) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'seed halves must be 32-bit integers');
  }
}

function checkBiasArgs(logits: Float32Array, seedLo: number, seedHi: number, threshold: number, delta: number): void {
  if (!(logits instanceof Float32Array)) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'logits must be a Float32Array');
  }
  checkSeed(seedLo, seedHi);
  checkThreshold(threshold);
  if (typeof delta !== 'number' || !Number.isFinite(delta)) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'delta must be a finite number');
  }
}

/**
 * Adds `delta` to the logit of every green token, in place, and returns `logits` (index =
 * token id). Exactly: for every v with `tokenUniform(seedLo, seedHi, v) < threshold`,
 * `logits[v] = fround(logits[v] + fround(delta))` (one float32 addition of delta rounded to
 * float32); every other entry is left untouched, bit for bit. ±Infinity entries stay as they
 * are and NaN entries stay NaN (their payload bits are not specified). `delta` must be finite.
 *
 * Uses a WebAssembly SIMD128 kernel when available (4 tokens per instruction) and a JS loop
 * otherwise; both give the same result.
 *
 * @example
 * ```ts
 * biasGreen(logits, seedLo, seedHi, greenThreshold(0.25), 2.0);
 * ```
 */
export function biasGreen(logits: Float32Array, seedLo: number, seedHi: number, threshold: number, delta: number): Float32Array {
  checkBiasArgs(logits, seedLo, seedHi, threshold, delta);
  const d = Math.fround(delta);
  if (logits.length >= WASM_MIN_LOGITS && wasmBias(logits, seedLo | 0, seedHi | 0, threshold | 0, d)) {
    return logits;
  }
  biasLoop(logits, seedLo | 0, seedHi | 0, threshold, d);
  return logits;
}

/**
 * The plain-JS path of {@link biasGreen} (same contract, never uses WebAssembly). Exposed for
 * testing and for measuring the fallback.
 */
export function biasGreenScalar(logits: Float32Array, seedLo: number, seedHi: number, threshold: number, delta: number): Float32Array {
  checkBiasArgs(logits, seedLo, seedHi, threshold, delta);
  biasLoop(logits, seedLo | 0, seedHi | 0, threshold, Math.fround(delta));
  return logits;
}

// Token indices of the green tokens of one block (JS path). 16 KB: stays in L1 cache.
const BLOCK = 4096;
const greenIdx = new Int32Array(BLOCK);

/**
 * JS path. Branch-free: a data-dependent branch per token (green with probability gamma) would
 * be mispredicted often and cost ~3x. Pass 1 writes each token index into `greenIdx` and
 * advances the cursor only if the token is green; pass 2 adds delta at those indices only, so
 * red logits are never written.
 */
function biasLoop(logits: Float32Array, lo: number, hi: number, threshold: number, d: number): void {
  const thr = threshold | 0;
  const n = logits.length;
  const idx = greenIdx;
  for (let base = 0; base < n; base += BLOCK) {
    const end = Math.min(n, base + BLOCK);
    let k = 0;
    for (let v = base; v < end; v++) {
      let x = Math.imul(v ^ lo, MIX_C1) ^ hi;
      x ^= x >>> 16;
      x = Math.imul(x, MIX_C2);
      x ^= x >>> 13;
      x = Math.imul(x, MIX_C3);
      x ^= x >>> 16;
      idx[k] = v;
      k += borrow(x, thr);
    }
    for (let j = 0; j < k; j++) logits[idx[j]!]! += d;
  }
}

/**
 * 1 if x < thr as unsigned 32-bit integers, else 0, without a branch: the borrow out of the
 * subtraction x - thr (Hacker's Delight, 2-13).
 */
function borrow(x: number, thr: number): number {
  return ((~x & thr) | (~(x ^ thr) & (x - thr))) >>> 31;
}

/**
 * The green list as a 0/1 byte per token: `out[v] = 1` iff token v (0 <= v < vocabSize) is
 * green. Writes into `out` when given (length >= vocabSize) and returns it.
 *
 * @example
 * ```ts
 * const mask = greenMask(seedLo, seedHi, greenThreshold(0.25), 200_019);
 * ```
 */
export function greenMask(seedLo: number, seedHi: number, threshold: number, vocabSize: number, out?: Uint8Array): Uint8Array {
  checkSeed(seedLo, seedHi);
  checkThreshold(threshold);
  if (!Number.isInteger(vocabSize) || vocabSize < 0 || vocabSize > 0x7fffffff) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'vocabSize must be a non-negative integer');
  }
  if (out !== undefined && (!(out instanceof Uint8Array) || out.length < vocabSize)) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'out must be a Uint8Array of length >= vocabSize');
  }
  const mask = out ?? new Uint8Array(vocabSize);
  const lo = seedLo | 0;
  const hi = seedHi | 0;
  if (vocabSize >= WASM_MIN_LOGITS && wasmMask(mask, vocabSize, lo, hi, threshold | 0)) return mask;
  const thr = threshold | 0;
  for (let v = 0; v < vocabSize; v++) {
    let x = Math.imul(v ^ lo, MIX_C1) ^ hi;
    x ^= x >>> 16;
    x = Math.imul(x, MIX_C2);
    x ^= x >>> 13;
    x = Math.imul(x, MIX_C3);
    x ^= x >>> 16;
    mask[v] = borrow(x, thr);
  }
  return mask;
}
