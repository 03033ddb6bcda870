// Shared by the engine adapters of the token-choosing schemes (gumbel, synthid): the watermark
// picks the next token from an engine's logits row, and the adapter forces the engine to emit it.
import { RadiomarkError } from '../base/errors.js';
import { toRandomSource, type SampleOptions } from '../schemes/sampler.js';
import type { RandomSource } from '../base/rng.js';
import type { Watermark } from '../watermark/watermark.js';

/**
 * Sampling options of the token-choosing adapters: the watermark samples, so temperature,
 * top-k and top-p are applied here (the engine's own sampler only sees the forced token).
 *
 * @example
 * ```ts
 * const options: EngineSamplingOptions = { temperature: 0.8, topP: 0.95, rng: 7 };
 * ```
 */
export type EngineSamplingOptions = SampleOptions;

/**
 * Chooses each next token with `watermark.sample` (any scheme; built for gumbel and synthid,
 * which choose the token instead of biasing logits) and forces it on the engine's logits row:
 * every entry becomes -Infinity except the chosen token's, which becomes 0, so whatever sampler
 * the engine runs next (greedy, multinomial, top-k, top-p, temperature, penalties, logit bias)
 * can only return that token.
 *
 * The context must be the same array, extended by one token per step: the watermark's
 * repeated-window check then costs O(1) per token. Rows longer than `vocabSize` (padded output
 * layers) are sampled over their first `vocabSize` entries. A context whose last window holds
 * an id outside the vocabulary is sampled without the watermark (nothing to seed from).
 *
 * @example
 * ```ts
 * const chooser = new TokenChooser(createWatermark(gumbelKey, { vocabSize: 32000 }), { rng: 1 }, 'my engine');
 * const token = chooser.choose(contextIds, logitsRow); // logitsRow now forces `token`
 * ```
 */
export class TokenChooser {
  readonly watermark: Watermark;
  readonly #options: SampleOptions;
  readonly #where: string;

  constructor(watermark: Watermark, options: EngineSamplingOptions, where: string) {
    if (watermark === null || typeof watermark !== 'object' || typeof watermark.sample !== 'function') {
      throw new RadiomarkError('INVALID_ARGUMENT', `${where}: expected a watermark from createWatermark(key, { vocabSize })`);
    }
    this.watermark = watermark;
    this.#where = where;
    const rng: RandomSource = toRandomSource(options.rng);
    this.#options = { temperature: options.temperature, topK: options.topK, topP: options.topP, rng };
  }

  /** The watermarked choice for `context` from `row`; `row` is overwritten to force it. */
  choose(context: readonly number[], row: Float32Array): number {
    const wm = this.watermark;
    const vocabSize = wm.vocabSize;
    if (!(row instanceof Float32Array)) throw new RadiomarkError('INVALID_ARGUMENT', `${this.#where}: logits must be a Float32Array`);
    if (row.length < vocabSize) {
      throw new RadiomarkError(
        'VOCAB_MISMATCH',
        `${this.#where}: the model produced ${row.length} logits but the watermark covers ${vocabSize} token ids; ` +
          `create it with createWatermark(key, { vocabSize: ${row.length} })`,
      );
    }
    const logits = row.length === vocabSize ? row : row.subarray(0, vocabSize);
    const seedable = windowInVocabulary(context, Math.max(8, wm.params.window), vocabSize);
    // Without a seedable window: an empty context gives the watermark nothing to seed from either.
    const token = wm.sample(seedable ? context : [], logits, this.#options);
    row.fill(-Infinity);
    row[token] = 0;
    return token;
  }
}

function windowInVocabulary(context: readonly number[], last: number, vocabSize: number): boolean {
  for (let i = Math.max(0, context.length - last); i < context.length; i++) {
    const id = context[i]!;
    if (!(Number.isInteger(id) && id >= 0 && id < vocabSize)) return false;
  }
  return true;
}
