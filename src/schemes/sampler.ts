import { RadiomarkError } from '../base/errors.js';
import { randomSource, seededRandom, type RandomSource } from '../base/rng.js';
import { kernelWorkspace, WEIGHT_BLOCK, type KernelWorkspace } from '../prf/kernel-workspace.js';
import { nucleus } from './nucleus.js';

/** Sampling options shared by every scheme. */
export interface SampleOptions {
  /** Softmax temperature; 0 means greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or undefined: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose mass reaches p (1 or undefined: all). */
  topP?: number;
  /** Seed (integer) or a random source; default: seeded from the platform CSPRNG. */
  rng?: number | RandomSource;
}

/** Resolves `rng` to a random source (a number seeds {@link seededRandom}). */
export function toRandomSource(rng: SampleOptions['rng']): RandomSource {
  if (rng === undefined) return randomSource();
  if (typeof rng === 'number') return seededRandom(rng);
  if (typeof rng === 'function') return checkedRandom(rng);
  throw new RadiomarkError('INVALID_ARGUMENT', 'rng must be an integer seed or a function returning [0, 1)');
}

// A caller's function returning 1, 5 or NaN would silently pick the last (special) token.
function checkedRandom(rng: RandomSource): RandomSource {
  return () => {
    const u = rng();
    if (typeof u !== 'number' || !(u >= 0 && u < 1)) {
      throw new RadiomarkError('INVALID_ARGUMENT', `rng() must return a number in [0, 1) (got ${String(u)})`);
    }
    return u;
  };
}

/**
 * Draws a token id from softmax(logits / temperature), restricted by top-k and top-p.
 * Logits of -Infinity have probability 0; if some logits are +Infinity, the draw is uniform
 * among them; NaN is an error (it means the model is broken, and guessing would hide it).
 *
 * @example
 * ```ts
 * sampleLogits(Float32Array.of(0, 1, 2), { temperature: 0.7, topK: 2, rng: 1 }); // 1 or 2
 * ```
 */
export function sampleLogits(logits: Float32Array, options: SampleOptions = {}, random?: RandomSource): number {
  return drawWeighted(samplingWeights(logits, options), random ?? toRandomSource(options.rng));
}

function checkTemperature(t: number): number {
  if (typeof t !== 'number' || !(t >= 0) || !Number.isFinite(t)) {
    throw new RadiomarkError('INVALID_ARGUMENT', `temperature must be a finite number >= 0 (got ${String(t)})`);
  }
  return t;
}

function checkTopK(k: number): number {
  if (!Number.isInteger(k) || k < 0) throw new RadiomarkError('INVALID_ARGUMENT', `topK must be an integer >= 0 (got ${String(k)})`);
  return k;
}

function checkTopP(p: number): number {
  if (typeof p !== 'number' || !(p > 0 && p <= 1))
    throw new RadiomarkError('INVALID_ARGUMENT', `topP must be in (0, 1] (got ${String(p)})`);
  return p;
}

function nanError(logits: ArrayLike<number>, n: number): RadiomarkError {
  let i = 0;
  while (i < n && logits[i] === logits[i]) i++;
  return new RadiomarkError('INVALID_ARGUMENT', `logits contain NaN at index ${i}`);
}

function firstIndexOf(logits: Float32Array, n: number, value: number): number {
  let i = 0;
  while (i < n - 1 && logits[i] !== value) i++;
  return i;
}

// The k largest logits (ties: smaller id), in decreasing order, via a size-k min-heap.
function topKIds(logits: Float32Array, n: number, k: number): number[] {
  const heap: number[] = [];
  const worse = (a: number, b: number) => logits[a]! < logits[b]! || (logits[a] === logits[b] && a > b);
  for (let i = 0; i < n; i++) {
    if (logits[i] === -Infinity) continue;
    if (heap.length < k) heapPush(heap, i, worse);
    else if (logits[i]! > logits[heap[0]!]!) {
      heap[0] = i;
      siftDown(heap, 0, worse);
    }
  }
  return heap.sort((a, b) => logits[b]! - logits[a]! || a - b);
}

type Worse = (a: number, b: number) => boolean;

function heapPush(heap: number[], id: number, worse: Worse): void {
  heap.push(id);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!worse(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function siftDown(heap: number[], i: number, worse: Worse): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
    if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}

/**
 * The distribution `sampleLogits` draws from, unnormalised: `weights[j]` for token `ids[j]`,
 * or for token j when `ids` is absent. `total`, when present, is the sum of the weights
 * (accumulated in another order: equal up to rounding).
 */
export interface SamplingWeights {
  ids?: readonly number[];
  weights: Float64Array;
  total?: number;
  /** Sums of consecutive blocks of {@link WEIGHT_BLOCK} weights (untruncated case): draws skip whole blocks. */
  blocks?: Float64Array;
}

/**
 * The (unnormalised) distribution that {@link sampleLogits} would sample from, after
 * temperature, top-k and top-p: the input of distortion-free schemes (Gumbel, tournament).
 * Without truncation the weights live in the shared kernel workspace, valid until the next
 * sampling call.
 *
 * @example
 * ```ts
 * const { ids, weights } = samplingWeights(logits, { temperature: 0.7, topK: 40 });
 * ```
 */
export function samplingWeights(logits: Float32Array, options: SampleOptions = {}): SamplingWeights {
  const ws = kernelWorkspace();
  ws.ensure(logits.length);
  ws.logits.set(logits);
  return workspaceWeights(ws, logits.length, options);
}

/**
 * {@link samplingWeights} of the logits already in `ws.logits[0..n)` (for callers that bias
 * them in the workspace first). The workspace logits are left unchanged.
 *
 * @example
 * ```ts
 * const ws = kernelWorkspace();
 * ws.ensure(n);
 * ws.logits.set(logits);
 * const dist = workspaceWeights(ws, n, { topP: 0.95 });
 * ```
 */
export function workspaceWeights(ws: KernelWorkspace, n: number, options: SampleOptions = {}): SamplingWeights {
  const temperature = checkTemperature(options.temperature ?? 1);
  const topK = checkTopK(options.topK ?? 0);
  const topP = checkTopP(options.topP ?? 1);
  const logits = ws.logits;
  if (n === 0) throw new RadiomarkError('INVALID_ARGUMENT', 'logits are empty: nothing to sample');
  const max = ws.maxLogit(n);
  if (max !== max) throw nanError(logits, n);
  if (max === -Infinity) throw new RadiomarkError('INVALID_ARGUMENT', 'every logit is -Infinity: nothing to sample');
  if (max === Infinity) {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) if (logits[i] === Infinity) ids.push(i);
    return { ids, weights: new Float64Array(ids.length).fill(1), total: ids.length };
  }
  if (temperature === 0) return { ids: [firstIndexOf(logits, n, max)], weights: Float64Array.of(1), total: 1 };
  const inv = 1 / temperature;
  if (topK > 0) {
    const ids = topKIds(logits, n, topK);
    const weights = Float64Array.from(ids, (id) => Math.exp((logits[id]! - max) * inv));
    return topP < 1 ? truncateSorted(ids, weights, topP) : { ids, weights };
  }
  const total = ws.expWeights(n, max, inv);
  const weights = ws.weights.subarray(0, n);
  if (topP === 1) return { weights, total, blocks: ws.blockSums };
  return nucleus(logits, weights, n, total, max, inv, topP);
}

// Top-p inside a top-k list already sorted by decreasing logit.
function truncateSorted(ids: number[], weights: Float64Array, topP: number): SamplingWeights {
  const total = weights.reduce((a, b) => a + b, 0);
  let mass = 0;
  let kept = 0;
  while (kept < weights.length && mass < topP * total) mass += weights[kept++]!;
  return { ids: ids.slice(0, kept), weights: weights.slice(0, kept) };
}

/**
 * Draws from unnormalised weights (inverse CDF).
 *
 * @example
 * ```ts
 * drawWeighted(samplingWeights(logits), seededRandom(1));
 * ```
 */
export function drawWeighted(dist: SamplingWeights, rng: RandomSource): number {
  const { ids, weights, blocks } = dist;
  if (blocks !== undefined && ids === undefined) return drawBlocked(weights, blocks, rng);
  let total = dist.total;
  if (total === undefined) {
    total = 0;
    for (let j = 0; j < weights.length; j++) total += weights[j]!;
  }
  let u = rng() * total;
  let last = 0;
  for (let j = 0; j < weights.length; j++) {
    if (weights[j]! <= 0) continue;
    last = j;
    u -= weights[j]!;
    if (u < 0) break;
  }
  return ids ? ids[last]! : last;
}

// Inverse CDF in two levels: the block whose running sum passes u, then the token inside it.
// The total is the sum of the block sums, so u always lands in some block; rounding inside a
// block can only leave u at its last positive weight, which is taken.
function drawBlocked(weights: Float64Array, blocks: Float64Array, rng: RandomSource): number {
  const n = weights.length;
  const count = Math.ceil(n / WEIGHT_BLOCK);
  let total = 0;
  for (let b = 0; b < count; b++) total += blocks[b]!;
  let u = rng() * total;
  let b = 0;
  let lastPositive = -1;
  for (; b < count; b++) {
    if (blocks[b]! <= 0) continue;
    lastPositive = b;
    if (u < blocks[b]!) break;
    u -= blocks[b]!;
  }
  if (b === count) b = lastPositive;
  let last = b * WEIGHT_BLOCK;
  const stop = Math.min(n, last + WEIGHT_BLOCK);
  for (let j = last; j < stop; j++) {
    const w = weights[j]!;
    if (w <= 0) continue;
    last = j;
    u -= w;
    if (u < 0) break;
  }
  return last;
}
