import type { KernelWorkspace } from '../prf/kernel-workspace.js';
import type { SamplingWeights } from './sampler.js';

const TWO32 = 4294967296;

/**
 * Gumbel-max (exponential) watermark sampling: the token maximising r^(1/p), with r the
 * token's PRF uniform in this context and p its probability. Over random keys the winner is
 * distributed exactly as p (the exponential-race form of the Gumbel-max trick), so each
 * token's distribution is unchanged; given the key, the choice is deterministic.
 * `uniforms[j]` is the 32-bit PRF value of candidate j (token ids[j], or token j).
 *
 * @example
 * ```ts
 * const token = gumbelChoice(samplingWeights(logits), uniforms);
 * ```
 */
export function gumbelChoice(dist: SamplingWeights, uniforms: Uint32Array): number {
  const { ids, weights } = dist;
  let best = -1;
  let bestKey = -Infinity;
  for (let j = 0; j < weights.length; j++) {
    const w = weights[j]!;
    if (!(w > 0)) continue;
    const r = (uniforms[j]! + 0.5) / TWO32;
    // ln(r)/w > best needs r > exp(best * w) >= 1 + best * w: most tokens fail this cheap
    // test, which skips their logarithm without changing the result.
    if (r <= 1 + bestKey * w) continue;
    // log(r^(1/p)) = ln(r) / p; normalising p does not change the argmax.
    const key = Math.log(r) / w;
    if (key > bestKey) {
      bestKey = key;
      best = j;
    }
  }
  return ids ? ids[best]! : best;
}

/**
 * {@link gumbelChoice} over the whole vocabulary held in a kernel workspace (`ws.weights` and
 * `ws.uniforms`, tokens 0..n-1): a vector scan skips every token that fails the cheap test,
 * and only the few candidates it stops at are examined here, with the same test, in the same
 * order, so the result is identical to `gumbelChoice`.
 *
 * @example
 * ```ts
 * const token = gumbelChoiceInWorkspace(kernelWorkspace(), 200_019);
 * ```
 */
export function gumbelChoiceInWorkspace(ws: KernelWorkspace, n: number): number {
  // Without WASM the plain loop is the faster scan.
  if (!ws.simd) return gumbelChoice({ weights: ws.weights.subarray(0, n) }, ws.uniforms);
  let best = -1;
  let bestKey = -Infinity;
  for (let pair = ws.gumbelNext(0, n, bestKey); pair < n; pair = ws.gumbelNext(pair + 2, n, bestKey)) {
    const w = ws.weights;
    const u = ws.uniforms;
    for (let j = pair; j < Math.min(n, pair + 2); j++) {
      const wj = w[j]!;
      if (!(wj > 0)) continue;
      const r = (u[j]! + 0.5) / TWO32;
      if (r <= 1 + bestKey * wj) continue;
      const key = Math.log(r) / wj;
      if (key > bestKey) {
        bestKey = key;
        best = j;
      }
    }
  }
  return best;
}
