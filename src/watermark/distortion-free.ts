import type { GreenList } from '../schemes/green-list.js';
import type { WatermarkParams } from '../key/params.js';
import { drawWeighted, workspaceWeights, type SampleOptions } from '../schemes/sampler.js';
import { kernelWorkspace } from '../prf/kernel-workspace.js';
import { gumbelChoice, gumbelChoiceInWorkspace } from '../schemes/gumbel-sampler.js';
import { tournamentChoice, tournamentChoiceInWorkspace } from '../schemes/tournament-sampler.js';

/**
 * Gumbel and tournament (synthid) sampling. Deterministic given the key and the window, so
 * a window seen before in this context is sampled plainly (no watermark) instead of
 * repeating itself. `scratch.buffer` is reused across calls (grown when too short).
 *
 * @example
 * ```ts
 * const next = sampleDistortionFree(greenList, key.params, ctx, logits, {}, rng, { buffer: new Uint32Array(0) });
 * ```
 */
export function sampleDistortionFree(
  greenList: GreenList,
  params: WatermarkParams,
  ctx: ArrayLike<number>,
  logits: Float32Array,
  opts: SampleOptions,
  rng: () => number,
  scratch: { buffer: Uint32Array },
): number {
  const ws = kernelWorkspace();
  ws.ensure(logits.length);
  ws.logits.set(logits);
  const dist = workspaceWeights(ws, logits.length, opts);
  if (!greenList.hasWindow(ctx) || greenList.windowRepeats(ctx)) return drawWeighted(dist, rng);
  const n = dist.weights.length;
  if (dist.ids === undefined) {
    // The whole vocabulary: weights and PRF values stay in the workspace for the kernels.
    greenList.fillUniforms(ctx, ws, n);
    return params.scheme === 'gumbel' ? gumbelChoiceInWorkspace(ws, n) : tournamentChoiceInWorkspace(ws, n, params.layers, rng);
  }
  if (scratch.buffer.length < n) scratch.buffer = new Uint32Array(n);
  const uniforms = greenList.uniformsOf(ctx, dist.ids, n, scratch.buffer);
  return params.scheme === 'gumbel' ? gumbelChoice(dist, uniforms) : tournamentChoice(dist, uniforms, params.layers, rng);
}
