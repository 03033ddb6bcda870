import type { Tokenizer } from '../key/tokenizer.js';
import type { KneserNeyModel } from '../model/kneser-ney-model.js';
import { kneserNeyTopK } from '../radioactivity/kneser-ney-top-k.js';
import { allocateRows, type SuspectModel } from './suspect-model.js';
import { suspectTokenizer } from './tiktoken-suspect-tokenizer.js';

/**
 * A radiomark Kneser-Ney model (the reference model or a `.rmkn` file) as a
 * {@link SuspectModel}: {@link kneserNeyTopK} at each position (an n-gram model needs no
 * forward pass; its context is the last order - 1 tokens, so its context length is
 * unbounded). With the provider's tokenizer, reading through it gives exactly the results
 * of `new ReadingModeTest(kneserNeyTopK(model), ...)`.
 *
 * @example
 * ```ts
 * const suspect = kneserNeySuspect(model, getTokenizer('o200k_base'));
 * ```
 */
export function kneserNeySuspect(model: KneserNeyModel, tokenizer: Tokenizer, name = 'kneser-ney'): SuspectModel {
  const predictor = kneserNeyTopK(model);
  let tokens = new Uint32Array(0);
  let probs = new Float64Array(0);
  return {
    name,
    tokenizer: suspectTokenizer(tokenizer),
    vocabSize: model.vocabSize,
    contextLength: Infinity,
    predict(ids, positions, k) {
      const out = allocateRows(positions.length, k);
      if (tokens.length < k) [tokens, probs] = [new Uint32Array(k), new Float64Array(k)];
      for (let p = 0; p < positions.length; p++) {
        const n = predictor.topK(ids.subarray(0, positions[p]!), k, tokens, probs);
        out.counts[p] = n;
        out.tokens.set(tokens.subarray(0, n), p * k);
        out.probs.set(probs.subarray(0, n), p * k);
      }
      return Promise.resolve(out);
    },
  };
}
