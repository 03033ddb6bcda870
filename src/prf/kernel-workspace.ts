/**
 * Full-vocabulary vector kernels over one workspace of parallel arrays (logits, weights,
 * uniforms, SelfHash tables): the WebAssembly SIMD128 kernels of scripts/build-wasm.mjs when
 * available, with plain-JS loops of the same contract otherwise. The arrays are views into the
 * kernel module's own memory (or plain typed arrays on the JS path), so the samplers read and
 * write them directly, without copies; they stay valid until the next `ensure` that grows.
 *
 * Contracts shared by both paths:
 * - `maxLogit`: the largest of logits[0..n), NaN if any is NaN (bit-equal).
 * - `expWeights`: weights[i] = exp((logits[i] - max) * inv) in float64, 0 below exp(-708), and
 *   blockSums[b] = the sum of weights of block b (WEIGHT_BLOCK tokens); WASM uses its own exp
 *   (Cody-Waite + degree-12 polynomial), within 1e-15 relative of Math.exp (tested); sums are
 *   accumulated in another order on each path (rounding only).
 * - `fillUniforms` / `fillSelfUniforms`: the token mixer, bit-equal to `tokenUniform`.
 */
import { instantiateKernels, wasmDisabled, type KernelExports } from './bias-wasm.js';
import { MIX_C1, MIX_C2, MIX_C3 } from './token-mixer.js';

const PAGE = 65536;
/** Tokens per entry of `blockSums` (fixed by the WASM kernel). */
export const WEIGHT_BLOCK = 1024;

/** Per-token tables of a SelfHash key: keyed rank and the uniform under the token's own seed. */
export interface SelfSeedTables {
  readonly ranks: Uint32Array;
  readonly own: Uint32Array;
}

/**
 * Parallel per-token arrays and the kernels that fill them.
 *
 * @example
 * ```ts
 * const ws = kernelWorkspace();
 * ws.ensure(logits.length);
 * ws.logits.set(logits);
 * const max = ws.maxLogit(logits.length);
 * const total = ws.expWeights(logits.length, max, 1 / temperature);
 * ```
 */
export class KernelWorkspace {
  logits = new Float32Array(0);
  weights = new Float64Array(0);
  blockSums = new Float64Array(0);
  uniforms = new Uint32Array(0);
  ranks = new Uint32Array(0);
  own = new Uint32Array(0);
  readonly #wasm: KernelExports | null;
  #capacity = 0;
  #offsets = { logits: 0, weights: 0, blockSums: 0, uniforms: 0, ranks: 0, own: 0 };
  #resident: SelfSeedTables | null = null;

  constructor(wasm: KernelExports | null) {
    this.#wasm = wasm;
  }

  /** True when the kernels run in WebAssembly. */
  get simd(): boolean {
    return this.#wasm !== null;
  }

  /** Makes every array hold at least n entries (plus padding). May move them: re-read the fields. */
  ensure(n: number): void {
    if (n <= this.#capacity) return;
    const cap = (n + 8) & ~3;
    const blocks = Math.ceil(cap / WEIGHT_BLOCK) + 2; // even: keeps the next region 16-byte aligned
    this.#resident = null;
    this.#capacity = cap;
    const k = this.#wasm;
    if (k === null) {
      this.logits = new Float32Array(cap);
      this.weights = new Float64Array(cap);
      this.blockSums = new Float64Array(blocks);
      this.uniforms = new Uint32Array(cap);
      this.ranks = new Uint32Array(cap);
      this.own = new Uint32Array(cap);
      return;
    }
    const sums = 12 * cap;
    const uniforms = sums + 8 * (blocks + (blocks & 1));
    const o = { logits: 0, weights: 4 * cap, blockSums: sums, uniforms, ranks: uniforms + 4 * cap, own: uniforms + 8 * cap };
    const bytes = uniforms + 12 * cap;
    if (k.memory.buffer.byteLength < bytes) k.memory.grow(Math.ceil((bytes - k.memory.buffer.byteLength) / PAGE));
    const buf = k.memory.buffer;
    this.#offsets = o;
    this.logits = new Float32Array(buf, o.logits, cap);
    this.weights = new Float64Array(buf, o.weights, cap);
    this.blockSums = new Float64Array(buf, o.blockSums, blocks);
    this.uniforms = new Uint32Array(buf, o.uniforms, cap);
    this.ranks = new Uint32Array(buf, o.ranks, cap);
    this.own = new Uint32Array(buf, o.own, cap);
  }

  /** Largest of logits[0..n); NaN if any entry is NaN. Requires n >= 1. */
  maxLogit(n: number): number {
    const k = this.#wasm;
    const l = this.logits;
    if (k !== null) {
      const end = (n + 3) & ~3;
      l.fill(-Infinity, n, end);
      return k.maxf(this.#offsets.logits, this.#offsets.logits + 4 * end);
    }
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = l[i]!;
      if (x > max) max = x;
      else if (x !== x) return NaN;
    }
    return max;
  }

  /** weights[i] = exp((logits[i] - max) * inv) for i < n; returns their sum. max must be finite. */
  expWeights(n: number, max: number, inv: number): number {
    const k = this.#wasm;
    const l = this.logits;
    const w = this.weights;
    if (k !== null) {
      const end = (n + 3) & ~3;
      l.fill(-Infinity, n, end);
      const o = this.#offsets;
      return k.expw(o.logits, o.logits + 4 * end, o.weights, o.blockSums, max, inv);
    }
    let total = 0;
    const sums = this.blockSums;
    for (let b = 0; b * WEIGHT_BLOCK < n; b++) {
      const stop = Math.min(n, (b + 1) * WEIGHT_BLOCK);
      let sum = 0;
      for (let i = b * WEIGHT_BLOCK; i < stop; i++) sum += w[i] = Math.exp((l[i]! - max) * inv);
      sums[b] = sum;
      total += sum;
    }
    return total;
  }

  /** uniforms[v] = tokenUniform(seedLo, seedHi, v) for v < n. */
  fillUniforms(n: number, seedLo: number, seedHi: number): void {
    const k = this.#wasm;
    if (k !== null) {
      const o = this.#offsets.uniforms;
      k.uniforms(o, o + 4 * ((n + 3) & ~3), 0, seedLo | 0, seedHi | 0);
      return;
    }
    const u = this.uniforms;
    const lo = seedLo | 0;
    const hi = seedHi | 0;
    for (let v = 0; v < n; v++) u[v] = mix(lo, hi, v);
  }

  /**
   * SelfHash uniforms for v < n: tokens that beat the window's anchor (rank below anchorRank,
   * or equal rank and a smaller id) take `tables.own[v]`, the others the mixer under the
   * context seed. `tables` must cover n tokens.
   */
  fillSelfUniforms(n: number, seedLo: number, seedHi: number, tables: SelfSeedTables, anchorRank: number, anchor: number): void {
    const k = this.#wasm;
    if (k !== null) {
      if (this.#resident !== tables) {
        this.ranks.set(tables.ranks.subarray(0, n));
        this.own.set(tables.own.subarray(0, n));
        this.#resident = tables;
      }
      const o = this.#offsets;
      k.selfUniforms(o.uniforms, o.uniforms + 4 * ((n + 3) & ~3), 0, seedLo | 0, seedHi | 0, o.ranks, o.own, anchorRank | 0, anchor | 0);
      return;
    }
    const u = this.uniforms;
    const { ranks, own } = tables;
    const lo = seedLo | 0;
    const hi = seedHi | 0;
    const aRank = anchorRank >>> 0;
    for (let v = 0; v < n; v++) {
      const r = ranks[v]!;
      u[v] = r < aRank || (r === aRank && v < anchor) ? own[v]! : mix(lo, hi, v);
    }
  }

  /**
   * KGW bias on logits[0..n) in place: `biasGreen` semantics (fround(delta) added where
   * tokenUniform(seedLo, seedHi, v) < threshold), bit-equal on both paths.
   */
  biasLogits(n: number, seedLo: number, seedHi: number, threshold: number, delta: number): void {
    const k = this.#wasm;
    const d = Math.fround(delta);
    if (k !== null) {
      const o = this.#offsets.logits;
      const end = (n + 3) & ~3;
      this.logits.fill(-Infinity, n, end);
      k.bias(o, o + 4 * end, 0, seedLo | 0, seedHi | 0, threshold | 0, d);
      return;
    }
    const l = this.logits;
    const lo = seedLo | 0;
    const hi = seedHi | 0;
    const thr = threshold >>> 0;
    for (let v = 0; v < n; v++) if (mix(lo, hi, v) < thr) l[v]! += d;
  }

  /**
   * Adds fround(delta) to logits[v] (v < n) where uniforms[v] < threshold. Reads the uniforms
   * filled by the last `fillUniforms` / `fillSelfUniforms`.
   */
  addWhereBelow(n: number, threshold: number, delta: number): void {
    const l = this.logits;
    const u = this.uniforms;
    const d = Math.fround(delta);
    for (let v = 0; v < n; v++) if (u[v]! < threshold) l[v]! += d;
  }
}

function mix(lo: number, hi: number, v: number): number {
  let x = Math.imul(v ^ lo, MIX_C1) ^ hi;
  x ^= x >>> 16;
  x = Math.imul(x, MIX_C2);
  x ^= x >>> 13;
  x = Math.imul(x, MIX_C3);
  x ^= x >>> 16;
  return x >>> 0;
}

let shared: KernelWorkspace | undefined;
let sharedJs: KernelWorkspace | undefined;

/**
 * The process-wide workspace: WebAssembly-backed unless WASM is unavailable or disabled
 * (`setWasmDisabled(true)` switches to a plain-JS workspace). Samplers are synchronous, so
 * one workspace serves them all; never keep its arrays across calls that may `ensure`.
 *
 * @example
 * ```ts
 * const ws = kernelWorkspace();
 * ws.ensure(200_019);
 * ws.fillUniforms(200_019, seedLo, seedHi);
 * ```
 */
export function kernelWorkspace(): KernelWorkspace {
  if (wasmDisabled()) return (sharedJs ??= new KernelWorkspace(null));
  if (shared === undefined) {
    const wasm = instantiateKernels();
    shared = new KernelWorkspace(wasm);
    if (wasm === null) sharedJs = shared;
  }
  return shared;
}
