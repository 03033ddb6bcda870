import { RadiomarkError } from '../base/errors.js';
import { randomSource, seededRandom, type RandomSource } from '../base/rng.js';

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
  if (typeof rng === 'function') return rng;
  throw new RadiomarkError('INVALID_ARGUMENT', 'rng must be an integer seed or a function returning [0, 1)');
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

// Largest logit, checking for NaN and for an all -Infinity vector on the way.
function maxFinite(logits: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    const x = logits[i]!;
    if (x > max) max = x;
    else if (x !== x) throw new RadiomarkError('INVALID_ARGUMENT', `logits contain NaN at index ${i}`);
  }
  if (max === -Infinity) throw new RadiomarkError('INVALID_ARGUMENT', 'every logit is -Infinity: nothing to sample');
  return max;
}

function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

// Reused by the untruncated path: one exp pass per step, no allocation.
let weightBuffer = new Float64Array(0);

function sumWeights(logits: Float32Array, max: number, inv: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += Math.exp((logits[i]! - max) * inv);
  return total;
}

const byLogitDesc = (logits: Float32Array) => (a: number, b: number) => logits[b]! - logits[a]! || a - b;

// The k largest logits (ties: smaller id), in decreasing order, via a size-k min-heap.
function topKIds(logits: Float32Array, k: number): number[] {
  const heap: number[] = [];
  const worse = (a: number, b: number) => logits[a]! < logits[b]! || (logits[a] === logits[b] && a > b);
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] === -Infinity) continue;
    if (heap.length < k) heapPush(heap, i, worse);
    else if (worse(heap[0]!, i)) {
      heap[0] = i;
      siftDown(heap, 0, worse);
    }
  }
  return heap.sort(byLogitDesc(logits));
}

// Tokens that can be in the nucleus: those below weight c = (1 - p) * total / V can all be
// dropped together without losing more than 1 - p of the mass, so the nucleus is among the rest.
function nucleusCandidates(logits: Float32Array, max: number, inv: number, topP: number): number[] {
  const cutoff = ((1 - topP) * sumWeights(logits, max, inv)) / logits.length;
  const ids: number[] = [];
  for (let i = 0; i < logits.length; i++) if (Math.exp((logits[i]! - max) * inv) >= cutoff) ids.push(i);
  return ids.sort(byLogitDesc(logits));
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

/** The distribution `sampleLogits` draws from, unnormalised: `weights[j]` for token `ids[j]`, or for token j when `ids` is absent. */
export interface SamplingWeights {
  ids?: readonly number[];
  weights: Float64Array;
}

/**
 * The (unnormalised) distribution that {@link sampleLogits} would sample from, after
 * temperature, top-k and top-p: the input of distortion-free schemes (Gumbel, tournament).
 * Without truncation the weights live in a buffer reused by the next call.
 *
 * @example
 * ```ts
 * const { ids, weights } = samplingWeights(logits, { temperature: 0.7, topK: 40 });
 * ```
 */
export function samplingWeights(logits: Float32Array, options: SampleOptions = {}): SamplingWeights {
  const temperature = checkTemperature(options.temperature ?? 1);
  const topK = checkTopK(options.topK ?? 0);
  const topP = checkTopP(options.topP ?? 1);
  const max = maxFinite(logits);
  if (max === Infinity) {
    const ids = Array.from(logits.keys()).filter((i) => logits[i] === Infinity);
    return { ids, weights: new Float64Array(ids.length).fill(1) };
  }
  if (temperature === 0) return { ids: [argmax(logits)], weights: Float64Array.of(1) };
  const inv = 1 / temperature;
  if (topK === 0 && topP === 1) {
    if (weightBuffer.length < logits.length) weightBuffer = new Float64Array(logits.length);
    const weights = weightBuffer.subarray(0, logits.length);
    for (let i = 0; i < logits.length; i++) weights[i] = Math.exp((logits[i]! - max) * inv);
    return { weights };
  }
  const ids = topK > 0 ? topKIds(logits, topK) : nucleusCandidates(logits, max, inv, topP);
  const weights = Float64Array.from(ids, (id) => Math.exp((logits[id]! - max) * inv));
  let kept = ids.length;
  if (topP < 1) {
    const total = topK > 0 ? weights.reduce((a, b) => a + b, 0) : sumWeights(logits, max, inv);
    let mass = 0;
    kept = 0;
    while (kept < weights.length && mass < topP * total) mass += weights[kept++]!;
  }
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
  const { ids, weights } = dist;
  let total = 0;
  for (let j = 0; j < weights.length; j++) total += weights[j]!;
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
