import { RadiomarkError } from '../base/errors.js';

/**
 * A model that can score one token: what {@link perplexity} needs.
 *
 * @example
 * ```ts
 * const scorer: TokenScorer = model; // a KneserNeyModel is one
 * ```
 */
export interface TokenScorer {
  /** Highest n-gram order: at most `order - 1` previous tokens are passed as context. */
  readonly order: number;
  /** Natural log of p(token | context). */
  logProb(context: ArrayLike<number>, token: number): number;
}

/**
 * Per-token perplexity `exp(-mean log p)` of `model` on `streams`, each token predicted
 * from the tokens before it in its own stream (the first one from the empty context).
 *
 * @example
 * ```ts
 * perplexity(model, corpusTokenStreams({ split: 'heldout' })); // e.g. 202 at order 4
 * ```
 */
export function perplexity(model: TokenScorer, streams: readonly ArrayLike<number>[]): number {
  let sum = 0;
  let count = 0;
  for (const stream of streams) {
    const ids = stream instanceof Uint32Array ? stream : Uint32Array.from(stream);
    for (let i = 0; i < ids.length; i++) {
      const from = Math.max(0, i - model.order + 1);
      sum += model.logProb(ids.subarray(from, i), ids[i]!);
      count++;
    }
  }
  if (count === 0) throw new RadiomarkError('EMPTY_INPUT', 'perplexity needs at least one token');
  return Math.exp(-sum / count);
}
