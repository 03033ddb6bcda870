import { RadiomarkError } from '../base/errors.js';
import { KneserNeyModel } from './kneser-ney-model.js';
import { estimateKneserNey } from './kneser-ney-tables.js';
import { countNgrams } from './ngram-counts.js';

/**
 * Version of the training algorithm (counting, discounts, estimation). Bump it whenever the
 * same text would train a different model: caches record it and rebuild on a change.
 *
 * @example
 * ```ts
 * serializeModel(model, { tokenizer: 'o200k_base', corpusHash, trainerVersion: KNESER_NEY_TRAINER_VERSION });
 * ```
 */
export const KNESER_NEY_TRAINER_VERSION = 1;

/**
 * Highest n-gram order {@link trainKneserNey} accepts.
 *
 * @example
 * ```ts
 * for (let order = 1; order <= MAX_KNESER_NEY_ORDER; order++) trainKneserNey(streams, { order, vocabSize });
 * ```
 */
export const MAX_KNESER_NEY_ORDER = 5;

/**
 * Options of {@link trainKneserNey}.
 *
 * @example
 * ```ts
 * const options: KneserNeyOptions = { order: 4, vocabSize: getTokenizer('o200k_base').vocabSize };
 * ```
 */
export interface KneserNeyOptions {
  /** Highest n-gram order, 1..5 (default 4). */
  readonly order?: number;
  /** Number of token ids (logits length), e.g. 200,019 for o200k_base. */
  readonly vocabSize: number;
}

/**
 * Trains an interpolated modified Kneser-Ney model from token streams (one array of token
 * ids per document; n-grams never cross documents).
 *
 * @example
 * ```ts
 * const tok = getTokenizer('o200k_base');
 * const model = trainKneserNey([tok.encode('Call me Ishmael.')], { order: 3, vocabSize: tok.vocabSize });
 * ```
 */
export function trainKneserNey(streams: readonly ArrayLike<number>[], options: KneserNeyOptions): KneserNeyModel {
  const order = options.order ?? 4;
  const { vocabSize } = options;
  if (!Number.isInteger(order) || order < 1 || order > MAX_KNESER_NEY_ORDER) {
    throw new RadiomarkError('INVALID_ARGUMENT', `order must be an integer in 1..${MAX_KNESER_NEY_ORDER}, got ${order}`);
  }
  if (!Number.isInteger(vocabSize) || vocabSize < 1 || vocabSize >= 2 ** 31) {
    throw new RadiomarkError('INVALID_ARGUMENT', `vocabSize must be a positive integer, got ${vocabSize}`);
  }
  return new KneserNeyModel(estimateKneserNey(countNgrams(streams, order, vocabSize), vocabSize));
}
