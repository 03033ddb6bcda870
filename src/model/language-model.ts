/**
 * A next-token model: anything that can give logits for the token after a context.
 * The embedded reference model, a transformers.js model or a remote API wrapper can all
 * implement it.
 *
 * @example
 * ```ts
 * const uniform: LanguageModel = {
 *   vocabSize: 4,
 *   nextLogits: (_context, out = new Float32Array(4)) => out.fill(0),
 * };
 * ```
 */
export interface LanguageModel {
  /** Number of logits per step (highest token id + 1). */
  readonly vocabSize: number;
  /**
   * Natural-log unnormalised scores for the next token after `context` (token ids, oldest
   * first). Writes into `out` when given (length `vocabSize`) and returns it.
   */
  nextLogits(context: ArrayLike<number>, out?: Float32Array): Float32Array;
  /**
   * Optional: draws the next token directly from softmax(nextLogits(context)) using
   * `random` (uniform doubles in [0, 1)), without materialising all logits. Models that
   * provide it get an exact O(candidates) watermarked sampler at temperature 1.
   */
  sampleNext?(context: ArrayLike<number>, random: () => number): number;
}
