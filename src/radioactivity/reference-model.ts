import type { LanguageModel } from '../model/language-model.js';
import { softmaxNormalizer } from './top-k.js';

/**
 * A reference model for the excess-mass reading score: next-token probabilities at given
 * tokens. It must never have been trained on text watermarked with the tested key (the
 * provider's unwatermarked base model qualifies: the watermark is applied when sampling);
 * how close it is to the suspect does not matter for validity, only for power.
 *
 * @example
 * ```ts
 * const reference = referenceFromModel(teacherBaseModel);
 * const out = new Float64Array(2);
 * reference.probabilities(context, Uint32Array.of(11, 42), 2, out);
 * ```
 */
export interface ReferenceModel {
  readonly vocabSize: number;
  /** Writes p(tokens[i] | context) into out[i] for i < count. */
  probabilities(context: ArrayLike<number>, tokens: Uint32Array, count: number, out: Float64Array): void;
}

/** A model that gives the exact probability of one token (the Kneser-Ney model does). */
interface PointProbabilityModel {
  readonly vocabSize: number;
  probability(context: ArrayLike<number>, token: number): number;
}

/**
 * A {@link ReferenceModel} from a model with exact per-token probabilities (e.g. the
 * Kneser-Ney reference model: O(order log n) per token) or, failing that, from any
 * {@link LanguageModel} (one `nextLogits` call and a softmax normaliser per position, O(V)).
 *
 * @example
 * ```ts
 * const test = new ReadingModeTest(kneserNeyTopK(suspect), [key], { reference: referenceFromModel(teacher) });
 * ```
 */
export function referenceFromModel(model: PointProbabilityModel | LanguageModel): ReferenceModel {
  if ('probability' in model && typeof model.probability === 'function') {
    const point = model;
    return {
      vocabSize: point.vocabSize,
      probabilities(context, tokens, count, out) {
        for (let i = 0; i < count; i++) out[i] = point.probability(context, tokens[i]!);
      },
    };
  }
  return fromLogits(model as LanguageModel);
}

function fromLogits(model: LanguageModel): ReferenceModel {
  const logits = new Float32Array(model.vocabSize);
  return {
    vocabSize: model.vocabSize,
    probabilities(context, tokens, count, out) {
      model.nextLogits(context, logits);
      const { max, z } = softmaxNormalizer(logits, 'the reference model');
      for (let i = 0; i < count; i++) out[i] = Math.exp(logits[tokens[i]!]! - max) / z;
    },
  };
}
