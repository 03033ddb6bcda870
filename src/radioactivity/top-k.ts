import { RadiomarkError } from '../base/errors.js';
import type { LanguageModel } from '../model/language-model.js';

/**
 * The k most likely next tokens of a model and their probabilities (normalised over the
 * whole vocabulary, so they sum to at most 1). The open-model test needs only these.
 *
 * @example
 * ```ts
 * const predictor = topKFromLogits(model);
 * const tokens = new Uint32Array(32), probs = new Float64Array(32);
 * const n = predictor.topK(context, 32, tokens, probs);
 * ```
 */
export interface TopKPredictor {
  readonly vocabSize: number;
  /** Writes up to k tokens (most likely first) and their probabilities; returns how many. */
  topK(context: ArrayLike<number>, k: number, tokens: Uint32Array, probs: Float64Array): number;
}

/**
 * A {@link TopKPredictor} for any {@link LanguageModel}: one `nextLogits` call, a
 * softmax normaliser and a size-k selection, O(V) per position.
 *
 * @example
 * ```ts
 * const predictor = topKFromLogits(myTransformerWrapper);
 * ```
 */
export function topKFromLogits(model: LanguageModel): TopKPredictor {
  const logits = new Float32Array(model.vocabSize);
  return {
    vocabSize: model.vocabSize,
    topK(context, k, tokens, probs) {
      model.nextLogits(context, logits);
      const { max, z } = softmaxNormalizer(logits, 'the model');
      const n = selectTopK(logits, k, tokens);
      for (let i = 0; i < n; i++) probs[i] = Math.exp(logits[tokens[i]!]! - max) / z;
      return n;
    },
  };
}

/**
 * Indices of the k largest values of `scores`, largest first (a size-k min-heap: O(V log k)
 * in the worst case, O(V) typically). Returns min(k, length).
 *
 * @example
 * ```ts
 * const out = new Uint32Array(2);
 * selectTopK(Float32Array.of(0.1, 0.7, 0.2), 2, out); // 2; out = [1, 2]
 * ```
 */
export function selectTopK(scores: ArrayLike<number>, k: number, out: Uint32Array): number {
  const n = Math.min(k, scores.length);
  let size = 0;
  for (let v = 0; v < scores.length; v++) {
    const s = scores[v]!;
    if (size < n) {
      out[size] = v;
      siftUp(scores, out, size++);
    } else if (s > scores[out[0]!]!) {
      out[0] = v;
      siftDown(scores, out, 0, size);
    }
  }
  // Heap-sort the min-heap into descending order.
  for (let end = size - 1; end > 0; end--) {
    const t = out[0]!;
    out[0] = out[end]!;
    out[end] = t;
    siftDown(scores, out, 0, end);
  }
  return size;
}

function siftUp(scores: ArrayLike<number>, heap: Uint32Array, i: number): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (scores[heap[parent]!]! <= scores[heap[i]!]!) return;
    swap(heap, i, parent);
    i = parent;
  }
}

function siftDown(scores: ArrayLike<number>, heap: Uint32Array, i: number, size: number): void {
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) return;
    const r = l + 1;
    const m = r < size && scores[heap[r]!]! < scores[heap[l]!]! ? r : l;
    if (scores[heap[i]!]! <= scores[heap[m]!]!) return;
    swap(heap, i, m);
    i = m;
  }
}

function swap(a: Uint32Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * The largest logit and the softmax normaliser sum(exp(logit - max)): probability of v is
 * exp(logits[v] - max) / z. A model with no finite logit is an error naming `who`.
 *
 * @example
 * ```ts
 * const { max, z } = softmaxNormalizer(logits, 'the suspect');
 * const p = Math.exp(logits[token]! - max) / z;
 * ```
 */
export function softmaxNormalizer(logits: Float32Array, who: string): { max: number; z: number } {
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) if (logits[v]! > max) max = logits[v]!;
  if (!Number.isFinite(max)) throw new RadiomarkError('MODEL', `${who} returned no finite logit`);
  let z = 0;
  for (let v = 0; v < logits.length; v++) z += Math.exp(logits[v]! - max);
  return { max, z };
}
