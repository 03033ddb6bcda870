import { RadiomarkError } from '../base/errors.js';
import { selectTopK } from '../radioactivity/top-k.js';

/**
 * Softmax of one logits row restricted to its k largest entries: writes the k most likely
 * token ids (most likely first) and their probabilities, normalised over the whole row, at
 * `tokens[at..]` and `probs[at..]`; returns how many (min(k, row length)). `scratch` must
 * hold at least k ids.
 *
 * @example
 * ```ts
 * const tokens = new Uint32Array(2), probs = new Float64Array(2);
 * logitsRowTopK(Float32Array.of(0, 1, 2), 2, tokens, probs, 0, new Uint32Array(2)); // 2; tokens = [2, 1]
 * ```
 */
export function logitsRowTopK(
  row: Float32Array,
  k: number,
  tokens: Uint32Array,
  probs: Float64Array,
  at: number,
  scratch: Uint32Array,
): number {
  let max = -Infinity;
  for (let v = 0; v < row.length; v++) if (row[v]! > max) max = row[v]!;
  if (!Number.isFinite(max)) throw new RadiomarkError('MODEL', 'the suspect model returned no finite logit');
  let z = 0;
  // exp(d) < 1e-30 for d < -69: such terms cannot move the sum of a row whose maximum gives 1.
  for (let v = 0; v < row.length; v++) {
    const d = row[v]! - max;
    if (d > -69) z += Math.exp(d);
  }
  const n = selectTopK(row, k, scratch);
  for (let i = 0; i < n; i++) {
    tokens[at + i] = scratch[i]!;
    probs[at + i] = Math.exp(row[scratch[i]!]! - max) / z;
  }
  return n;
}
