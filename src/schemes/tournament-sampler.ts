import type { RandomSource } from '../base/rng.js';
import type { SamplingWeights } from './sampler.js';

/**
 * SynthID-style tournament sampling with `layers` layers of binary g-values: the winner of a
 * tournament among 2^layers candidates drawn from p, where each match goes to the candidate
 * with the larger g-value of that layer (ties at random). Computed exactly in O(layers x
 * candidates): after one layer the winner follows p'(v) = p(v) (1 + g(v) - G), G the mass of
 * tokens with g = 1. Over random keys E[p'] = p, so single tokens are distortion-free.
 * The g-value of layer l is bit l of the candidate's 32-bit PRF value.
 *
 * @example
 * ```ts
 * const token = tournamentChoice(samplingWeights(logits), uniforms, 30, rng);
 * ```
 */
export function tournamentChoice(dist: SamplingWeights, uniforms: Uint32Array, layers: number, rng: RandomSource): number {
  const { ids, weights } = dist;
  const n = weights.length;
  const p = new Float64Array(n);
  let total = 0;
  for (let j = 0; j < n; j++) total += weights[j]!;
  for (let j = 0; j < n; j++) p[j] = weights[j]! / total;
  for (let layer = 0; layer < layers; layer++) {
    let ones = 0;
    for (let j = 0; j < n; j++) if ((uniforms[j]! >>> layer) & 1) ones += p[j]!;
    for (let j = 0; j < n; j++) p[j]! *= 1 + ((uniforms[j]! >>> layer) & 1) - ones;
  }
  let u = rng();
  let last = 0;
  for (let j = 0; j < n; j++) {
    if (p[j]! <= 0) continue;
    last = j;
    u -= p[j]!;
    if (u < 0) break;
  }
  return ids ? ids[last]! : last;
}
