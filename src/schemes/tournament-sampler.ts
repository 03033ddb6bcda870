import type { KernelWorkspace } from '../prf/kernel-workspace.js';
import type { RandomSource } from '../base/rng.js';
import type { SamplingWeights } from './sampler.js';

/** Layers per chunk at most: a chunk's pattern table has 2^CHUNK_MAX entries. */
const CHUNK_MAX = 16;
/** Below this many candidate x layers, the direct O(layers x candidates) loop is cheaper. */
const DIRECT_WORK = 1 << 17;

/**
 * SynthID-style tournament sampling with `layers` layers of binary g-values: the winner of a
 * tournament among 2^layers candidates drawn from p, where each match goes to the candidate
 * with the larger g-value of that layer (ties at random). After one layer the winner follows
 * p'(v) = p(v) (1 + g(v) - G), G the mass of tokens with g = 1; over random keys E[p'] = p, so
 * single tokens are distortion-free. The g-value of layer l is bit l of the candidate's 32-bit
 * PRF value. Draws exactly from {@link tournamentWeights} with one `rng()` call.
 *
 * @example
 * ```ts
 * const token = tournamentChoice(samplingWeights(logits), uniforms, 30, rng);
 * ```
 */
export function tournamentChoice(dist: SamplingWeights, uniforms: Uint32Array, layers: number, rng: RandomSource): number {
  const { ids, weights } = dist;
  const n = weights.length;
  let last = 0;
  if (n * layers <= DIRECT_WORK) {
    const p = scratchOf(n);
    let u = rng() * directWeights(weights, uniforms, layers, p);
    for (let j = 0; j < n; j++) {
      if (p[j]! <= 0) continue;
      last = j;
      u -= p[j]!;
      if (u < 0) break;
    }
    return ids ? ids[last]! : last;
  }
  // The last chunk's factor is applied on the fly: one pass that stops at the drawn token.
  const { base, factor, first, mask, total } = closedForm(weights, uniforms, layers, scratchOf(n));
  let u = rng() * total;
  for (let j = 0; j < n; j++) {
    const w = base[j]! * factor[(uniforms[j]! >>> first) & mask]!;
    if (w <= 0) continue;
    last = j;
    u -= w;
    if (u < 0) break;
  }
  return ids ? ids[last]! : last;
}

let scratch = new Float64Array(0);
function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

/**
 * The tournament winner's distribution: writes out[j] = P(winner = candidate j) (up to a
 * common factor) for weights w (candidate j has PRF value uniforms[j]) and returns the sum of
 * out. p_layers(v) = p(v) prod_l (1 + g_l(v) - G_l), with G_l the mass of g_l = 1 under p_l.
 *
 * Exact restructuring of the O(layers x V) recursion: p_l(v) depends on v only through p(v)
 * and its first l g-bits, so each G_l is a sum over bit patterns of pattern masses. Layers are
 * cut into chunks of at most 16; per chunk, one pass over the candidates histograms their
 * current mass by the chunk's bits, and a pass over the 2^bits patterns gives every G of the
 * chunk and the per-pattern factor. Cost O(chunks x (V + 2^16)) instead of O(layers x V);
 * equal to the direct recursion up to rounding (same sums in another order; tested).
 *
 * @example
 * ```ts
 * const p = new Float64Array(weights.length);
 * const total = tournamentWeights(weights, uniforms, 30, p);
 * ```
 */
export function tournamentWeights(weights: Float64Array, uniforms: Uint32Array, layers: number, out: Float64Array): number {
  const n = weights.length;
  if (n * layers <= DIRECT_WORK) return directWeights(weights, uniforms, layers, out);
  const { base, factor, first, mask } = closedForm(weights, uniforms, layers, out);
  let total = 0;
  for (let j = 0; j < n; j++) total += out[j] = base[j]! * factor[(uniforms[j]! >>> first) & mask]!;
  return total;
}

const mass = new Float64Array(2 << CHUNK_MAX);
const factors = [new Float64Array(1 << CHUNK_MAX), new Float64Array(1 << CHUNK_MAX)] as const;

/**
 * Every chunk's factor table. Returns `base` (the weights times the factors of every chunk but
 * the last: `weights` itself when there is one chunk, else `out`), the last chunk's factor
 * table with its bit offset and mask, and the total of base x last factor. Weights need not be
 * normalised: each layer's G is a ratio of masses.
 */
function closedForm(weights: Float64Array, uniforms: Uint32Array, layers: number, out: Float64Array) {
  const n = weights.length;
  const chunks = Math.ceil(layers / CHUNK_MAX);
  const bits = Math.ceil(layers / chunks);
  let base = weights;
  let factor = factors[0];
  let first = 0;
  let mask = 0;
  for (let c = 0; first < layers; c++, first += bits) {
    const b = Math.min(bits, layers - first);
    const size = 1 << b;
    mass.fill(0, 0, 2 * size);
    if (c === 0) {
      for (let j = 0; j < n; j++) mass[size + (uniforms[j]! & (size - 1))]! += weights[j]!;
    } else {
      // Apply the previous chunk's factors and histogram this chunk's bits in the same pass.
      const prevShift = first - bits;
      for (let j = 0; j < n; j++) {
        const u = uniforms[j]!;
        const w = (out[j] = base[j]! * factor[(u >>> prevShift) & mask]!);
        mass[size + ((u >>> first) & (size - 1))]! += w;
      }
      base = out;
    }
    factor = c & 1 ? factors[1] : factors[0];
    mask = size - 1;
    chunkFactors(mass, b, factor);
  }
  first -= bits;
  // Total mass after the last chunk: sum over its patterns of pattern mass x factor.
  let total = 0;
  for (let t = 0; t <= mask; t++) total += mass[mask + 1 + t]! * factor[t]!;
  return { base, factor, first, mask, total };
}

// mass[2^b + r] = mass of the patterns r (b bits, bit j = layer j of the chunk). Fills the
// heap-ordered marginals mass[2^j + t] (mass of patterns whose low j bits are t), then walks
// the layers: 1 - G_j = share of sum_t f_j(t) mass[2^(j+1) + t] (the g = 0 mass), and
// f_(j+1)(t + bit 2^j) = f_j(t) (1 + bit - G_j).
function chunkFactors(mass: Float64Array, b: number, factor: Float64Array): void {
  for (let j = b - 1; j >= 0; j--) {
    const half = 1 << j;
    for (let t = 0; t < half; t++) mass[half + t] = mass[2 * half + t]! + mass[3 * half + t]!;
  }
  factor[0] = 1;
  for (let j = 0; j < b; j++) {
    const half = 1 << j;
    // 1 - G_j as the share of the g = 0 mass itself: no cancellation when G_j is close to 1,
    // and no drift when rounding leaves the masses summing to 1 +- eps.
    let zeros = 0;
    let ones = 0;
    for (let t = 0; t < half; t++) {
      zeros += factor[t]! * mass[2 * half + t]!;
      ones += factor[t]! * mass[3 * half + t]!;
    }
    zeros /= zeros + ones;
    for (let t = 0; t < half; t++) {
      const f = factor[t]!;
      factor[half + t] = f * (1 + zeros);
      factor[t] = f * zeros;
    }
  }
}

// The recursion itself, layer by layer: cheaper for short candidate lists.
function directWeights(weights: Float64Array, uniforms: Uint32Array, layers: number, p: Float64Array): number {
  const n = weights.length;
  let total = 0;
  for (let j = 0; j < n; j++) total += weights[j]!;
  for (let j = 0; j < n; j++) p[j] = weights[j]! / total;
  for (let layer = 0; layer < layers; layer++) {
    let zeros = 0;
    let ones = 0;
    for (let j = 0; j < n; j++) {
      if ((uniforms[j]! >>> layer) & 1) ones += p[j]!;
      else zeros += p[j]!;
    }
    zeros /= zeros + ones;
    for (let j = 0; j < n; j++) p[j]! *= ((uniforms[j]! >>> layer) & 1) + zeros;
  }
  let sum = 0;
  for (let j = 0; j < n; j++) sum += p[j]!;
  return sum;
}

/**
 * {@link tournamentChoice} over the whole vocabulary held in a kernel workspace (`ws.weights`,
 * `ws.uniforms`, tokens 0..n-1), with the per-token passes of the closed form (histogram,
 * factor-and-histogram, draw) run by the workspace's kernels. Same distribution as
 * `tournamentChoice` (same sums; WASM and JS paths accumulate identically), one `rng()` call.
 *
 * @example
 * ```ts
 * const token = tournamentChoiceInWorkspace(kernelWorkspace(), 200_019, 30, rng);
 * ```
 */
export function tournamentChoiceInWorkspace(ws: KernelWorkspace, n: number, layers: number, rng: RandomSource): number {
  // Without WASM (or for short lists) the plain-array version is the faster one.
  if (!ws.simd || n * layers <= DIRECT_WORK) return tournamentChoice({ weights: ws.weights.subarray(0, n) }, ws.uniforms, layers, rng);
  // layers <= 32: one or two chunks; the second chunk's table is [1] when there is one chunk.
  const bits = layers <= CHUNK_MAX ? layers : Math.ceil(layers / 2);
  const mask0 = (1 << bits) - 1;
  ws.mass.fill(0, 0, 2 << bits);
  ws.tournamentHistogram(n, 0, mask0);
  factorsOf(ws.mass, bits, ws.factors[0]);
  let shift1 = 0;
  let mask1 = 0;
  let total = 0;
  if (layers > bits) {
    const b = layers - bits;
    shift1 = bits;
    mask1 = (1 << b) - 1;
    ws.mass.fill(0, 0, 2 << b);
    ws.tournamentApply(n, mask0, shift1, mask1);
    factorsOf(ws.mass, b, ws.factors[1]);
  } else {
    ws.factors[1][0] = 1;
  }
  const f1 = ws.factors[1];
  const last = layers > bits ? mask1 : mask0;
  const patterns = layers > bits ? f1 : ws.factors[0];
  for (let t = 0; t <= last; t++) total += ws.mass[last + 1 + t]! * patterns[t]!;
  return ws.tournamentDraw(n, mask0, shift1, mask1, rng() * total);
}

// chunkFactors on plain arrays: JS reads WebAssembly memory views about 2x slower, so the
// pattern masses are copied out and the factors copied back (memcpy-speed copies).
function factorsOf(wasmMass: Float64Array, b: number, wasmFactor: Float64Array): void {
  const size = 1 << b;
  mass.set(wasmMass.subarray(size, 2 * size), size);
  chunkFactors(mass, b, factors[0]);
  wasmFactor.set(factors[0].subarray(0, size));
}
