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
import { tokenUniform } from './token-mixer.js';

const PAGE = 65536;
/** Entries of a tournament pattern table: 2^16 (chunks of at most 16 layers). */
export const PATTERNS = 1 << 16;
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
  /** Tournament scratch: pattern masses (heap-ordered, 2 x PATTERNS) and the two chunks' factor tables. */
  mass = new Float64Array(0);
  factors: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];
  readonly #wasm: KernelExports | null;
  #capacity = 0;
  #offsets = { logits: 0, weights: 0, blockSums: 0, uniforms: 0, ranks: 0, own: 0, mass: 0, factors: [0, 0] };
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
      this.mass = new Float64Array(2 * PATTERNS);
      this.factors = [new Float64Array(PATTERNS), new Float64Array(PATTERNS)];
      return;
    }
    const sums = 12 * cap;
    const uniforms = sums + 8 * (blocks + (blocks & 1));
    const mass = uniforms + 12 * cap;
    const factors = [mass + 16 * PATTERNS, mass + 24 * PATTERNS];
    const o = { logits: 0, weights: 4 * cap, blockSums: sums, uniforms, ranks: uniforms + 4 * cap, own: uniforms + 8 * cap, mass, factors };
    const bytes = mass + 32 * PATTERNS;
    if (k.memory.buffer.byteLength < bytes) k.memory.grow(Math.ceil((bytes - k.memory.buffer.byteLength) / PAGE));
    const buf = k.memory.buffer;
    this.#offsets = o;
    this.logits = new Float32Array(buf, o.logits, cap);
    this.weights = new Float64Array(buf, o.weights, cap);
    this.blockSums = new Float64Array(buf, o.blockSums, blocks);
    this.uniforms = new Uint32Array(buf, o.uniforms, cap);
    this.ranks = new Uint32Array(buf, o.ranks, cap);
    this.own = new Uint32Array(buf, o.own, cap);
    this.mass = new Float64Array(buf, o.mass, 2 * PATTERNS);
    this.factors = [new Float64Array(buf, factors[0]!, PATTERNS), new Float64Array(buf, factors[1]!, PATTERNS)];
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
    for (let v = 0; v < n; v++) u[v] = tokenUniform(lo, hi, v);
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
      u[v] = r < aRank || (r === aRank && v < anchor) ? own[v]! : tokenUniform(lo, hi, v);
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
    for (let v = 0; v < n; v++) if (tokenUniform(lo, hi, v) < thr) l[v]! += d;
  }

  /**
   * Tournament pass: mass[PATTERNS_OFFSET + ((uniforms[j] >>> shift) & mask)] += weights[j] for
   * j < n, where the pattern block starts at index mask + 1 of `mass` (heap order).
   */
  tournamentHistogram(n: number, shift: number, mask: number): void {
    const k = this.#wasm;
    if (k !== null) {
      const o = this.#offsets;
      k.tourHist(o.weights, o.uniforms, o.uniforms + 4 * n, o.mass + 8 * (mask + 1), shift, mask);
      return;
    }
    const { weights: w, uniforms: u, mass } = this;
    const size = mask + 1;
    for (let j = 0; j < n; j++) mass[size + ((u[j]! >>> shift) & mask)]! += w[j]!;
  }

  /**
   * Tournament pass (second chunk): mass[mask + 1 + ((u_j >>> shift) & mask)] +=
   * weights[j] * factors[0][u_j & pMask] for j < n.
   */
  tournamentApply(n: number, pMask: number, shift: number, mask: number): void {
    const k = this.#wasm;
    if (k !== null) {
      const o = this.#offsets;
      k.tourApply(o.weights, o.uniforms, o.uniforms + 4 * n, o.factors[0]!, pMask, o.mass + 8 * (mask + 1), shift, mask);
      return;
    }
    const { uniforms: u, mass, weights: w } = this;
    const f = this.factors[0];
    const size = mask + 1;
    for (let j = 0; j < n; j++) {
      const uu = u[j]!;
      mass[size + ((uu >>> shift) & mask)]! += w[j]! * f[uu & pMask]!;
    }
  }

  /**
   * Inverse CDF over x_j = weights[j] * factors[0][u_j & mask0] * factors[1][(u_j >>> shift1) & mask1]
   * (j < n): the token where `target` minus the running sum drops below 0, or the last with x > 0.
   */
  tournamentDraw(n: number, mask0: number, shift1: number, mask1: number, target: number): number {
    const k = this.#wasm;
    if (k !== null) {
      const o = this.#offsets;
      const at = k.tourDraw(o.weights, o.uniforms, o.uniforms + 4 * n, o.factors[0]!, mask0, o.factors[1]!, shift1, mask1, target);
      return (at - o.uniforms) >>> 2;
    }
    const { uniforms: u, weights: w } = this;
    const [f0, f1] = this.factors;
    let last = 0;
    for (let j = 0; j < n; j++) {
      const uu = u[j]!;
      const x = w[j]! * f0[uu & mask0]! * f1[(uu >>> shift1) & mask1]!;
      if (!(x > 0)) continue;
      last = j;
      target -= x;
      if (target < 0) break;
    }
    return last;
  }

  /**
   * Gumbel scan: the first even index >= from (below n) whose pair of tokens holds a candidate
   * (u + 0.5 > 2^32 (1 + bestKey * w), the skip test of the Gumbel sampler), or n.
   */
  gumbelNext(from: number, n: number, bestKey: number): number {
    const k = this.#wasm;
    if (k !== null) {
      const o = this.#offsets;
      const end = o.weights + 8 * ((n + 1) & ~1);
      const at = k.gumbelNext(o.weights + 8 * from, o.uniforms + 4 * from, end, bestKey * 4294967296);
      return Math.min(n, (at - o.weights) >>> 3);
    }
    const { weights: w, uniforms: u } = this;
    for (let j = from; j < n; j += 2) {
      if ((u[j]! + 0.5) / 4294967296 > 1 + bestKey * w[j]!) return j;
      if (j + 1 < n && (u[j + 1]! + 0.5) / 4294967296 > 1 + bestKey * w[j + 1]!) return j;
    }
    return n;
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
