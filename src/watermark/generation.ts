import { RadiomarkError } from '../base/errors.js';
import { checkLogits, type GreenList } from '../schemes/green-list.js';
import type { WatermarkParams } from '../key/params.js';
import { drawWeighted, toRandomSource, workspaceWeights } from '../schemes/sampler.js';
import { kernelWorkspace } from '../prf/kernel-workspace.js';
import type { AccountSigner } from '../accounts/account-signer.js';
import { checkContext, checkToken, optionsObject } from './inputs.js';
import { sampleByRejection } from './rejection.js';
import { sampleDistortionFree } from './distortion-free.js';
import type { WatermarkGeneration } from './types.js';

/** What generation needs: the key's green list, its parameters, the logits length and the account signer. */
export interface GenerationParts {
  greenList: GreenList;
  params: WatermarkParams;
  vocabSize: number;
  signer: AccountSigner | null;
}

/**
 * The generation side of a watermark: logit biasing (kgw), sampling (every scheme),
 * rejection sampling (kgw) and the green test of one token.
 *
 * @example
 * ```ts
 * const gen = createGeneration({ greenList: new GreenList(key), params: key.params, vocabSize: 200019, signer: null });
 * const next = gen.sample(contextIds, logits, { rng: 7 });
 * ```
 */
export function createGeneration(parts: GenerationParts): WatermarkGeneration {
  const { greenList, params, vocabSize, signer } = parts;
  const uniforms = { buffer: new Uint32Array(0) };
  const biasBoth = (ctx: ArrayLike<number>, logits: Float32Array) => {
    greenList.bias(ctx, logits, params.delta);
    return signer ? signer.bias(ctx, logits) : logits;
  };
  return {
    bias(context, logits) {
      checkLogits(logits, vocabSize, params.tokenizer);
      if (params.scheme !== 'kgw') {
        throw new RadiomarkError('UNSUPPORTED', `scheme ${params.scheme} does not bias logits (it is distortion-free): use sample()`);
      }
      return biasBoth(checkContext(context, vocabSize), logits);
    },
    sample(context, logits, options) {
      const sampleOptions = optionsObject(options, 'sample options');
      checkLogits(logits, vocabSize, params.tokenizer);
      const ctx = checkContext(context, vocabSize);
      const rng = toRandomSource(sampleOptions.rng);
      if (params.scheme !== 'kgw') return sampleDistortionFree(greenList, params, ctx, logits, sampleOptions, rng, uniforms);
      // The caller's logits stay untouched: bias and sample a copy in the kernel workspace.
      const n = logits.length;
      const ws = kernelWorkspace();
      ws.ensure(n);
      ws.logits.set(logits);
      greenList.biasWorkspace(ctx, ws, n, params.delta);
      if (signer) signer.bias(ctx, ws.logits.subarray(0, n));
      return drawWeighted(workspaceWeights(ws, n, sampleOptions), rng);
    },
    sampleByRejection(context, draw, random) {
      if (params.scheme !== 'kgw') {
        throw new RadiomarkError(
          'UNSUPPORTED',
          `sampleByRejection is for kgw keys; scheme ${params.scheme} needs the full distribution (sample)`,
        );
      }
      return sampleByRejection(parts, checkContext(context, vocabSize), draw, random);
    },
    isGreen(context, token) {
      const ctx = checkContext(context, vocabSize);
      if (!greenList.hasWindow(ctx)) {
        throw new RadiomarkError('INVALID_ARGUMENT', `context needs at least ${params.window} tokens`);
      }
      return greenList.isGreen(ctx, checkToken(token, vocabSize));
    },
  };
}
