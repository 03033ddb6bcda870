import { RadiomarkError } from '../base/errors.js';
import type { LanguageModel } from './language-model.js';
import { findContextPath, searchSorted } from './context-trie.js';
import type { KneserNeyTables } from './kneser-ney-tables.js';

/**
 * An interpolated Kneser-Ney n-gram language model over token ids: the embedded reference
 * model. Every token id below `vocabSize` has a non-zero probability (the unigram level is
 * interpolated with a uniform distribution).
 *
 * `nextLogits` costs O(V) for one `Float32Array.set` plus O(successors of the active
 * contexts): the interpolated distribution equals `B * unigram(v)` for every token never
 * seen after the active contexts (`B` the product of their backoff weights), so the logits
 * start as the precomputed log-unigram vector and only the seen tokens are overwritten with
 * `log(p(v) / B)`. Logits are therefore `log p(v) + log(1/B)`. `sampleNext` draws from the
 * same distribution without computing the logits at all.
 *
 * @example
 * ```ts
 * const model = trainKneserNey(streams, { order: 4, vocabSize: 200_019 });
 * const logits = model.nextLogits(tokenizer.encode('The jury said'));
 * model.probability(tokenizer.encode('The jury'), tokenizer.encode(' said')[0]);
 * ```
 */
export class KneserNeyModel implements LanguageModel {
  readonly vocabSize: number;
  /** Highest n-gram order: predictions look at up to `order - 1` previous tokens. */
  readonly order: number;
  /** The model's arrays (shared, not copied: do not modify). */
  readonly tables: KneserNeyTables;
  private readonly baseProb: Float64Array;
  private readonly baseLogits: Float32Array;
  /** Per token: p(v) / B, valid only for the successors written during one call. */
  private readonly ratio: Float64Array;
  private readonly path: Int32Array;
  /** Running sums of the unigram level's discounted probabilities, for sampling by bisection. */
  private readonly rootCumulative: Float64Array;

  /** Wraps tables made by `trainKneserNey` (via `estimateKneserNey`) or `deserializeModel`. */
  constructor(tables: KneserNeyTables) {
    checkTables(tables);
    this.tables = tables;
    this.vocabSize = tables.vocabSize;
    this.order = tables.order;
    this.baseProb = unigramDistribution(tables);
    this.baseLogits = Float32Array.from(this.baseProb, Math.log);
    this.ratio = new Float64Array(tables.vocabSize);
    this.path = new Int32Array(tables.order);
    this.rootCumulative = runningSums(tables.levels[0]!.succProb);
  }

  /**
   * Log-probabilities of the next token up to an additive constant (natural log), written
   * into `out` (length `vocabSize`) when given. Only the last `order - 1` tokens matter.
   *
   * @example
   * ```ts
   * const out = new Float32Array(model.vocabSize);
   * model.nextLogits([791, 21641], out);
   * ```
   */
  nextLogits(context: ArrayLike<number>, out?: Float32Array): Float32Array {
    const logits = out ?? new Float32Array(this.vocabSize);
    if (logits.length !== this.vocabSize) {
      throw new RadiomarkError('INVALID_ARGUMENT', `logits buffer has length ${logits.length}, expected ${this.vocabSize}`);
    }
    logits.set(this.baseLogits);
    const depth = findContextPath(this.tables.levels, context, this.path);
    if (depth === 0) return logits;
    const { levels } = this.tables;
    const ratio = this.ratio;
    // ratio(v) = p_unigram(v) + sum over levels l <= depth where v was seen of succProb / (B_1..B_l).
    let scale = 1;
    for (let l = 1; l <= depth; l++) {
      const { succStart, succWord, succProb, backoff } = levels[l]!;
      const node = this.path[l]!;
      scale /= backoff[node]!;
      const hi = succStart[node + 1]!;
      if (l === 1) {
        const base = this.baseProb;
        for (let s = succStart[node]!; s < hi; s++) ratio[succWord[s]!] = base[succWord[s]!]! + succProb[s]! * scale;
      } else {
        // Kneser-Ney successors are nested: a token seen after a context was seen after its suffix.
        for (let s = succStart[node]!; s < hi; s++) ratio[succWord[s]!]! += succProb[s]! * scale;
      }
    }
    const { succStart, succWord } = levels[1]!;
    const node = this.path[1]!;
    for (let s = succStart[node]!, hi = succStart[node + 1]!; s < hi; s++) {
      logits[succWord[s]!] = Math.log(ratio[succWord[s]!]!);
    }
    return logits;
  }

  /**
   * Draws the next token from the model's distribution (the softmax of `nextLogits`) in
   * O(successors of the active contexts), without materialising the V logits. The
   * interpolated distribution is a mixture: from the longest context down, a level keeps
   * the draw with probability 1 - backoff (then picks a successor in proportion to its
   * discounted probability), else passes it to the next shorter context; below the
   * unigram level the draw is uniform.
   *
   * @param random uniform doubles in [0, 1), e.g. a seeded generator
   * @example
   * ```ts
   * const next = model.sampleNext(context, Math.random);
   * ```
   */
  sampleNext(context: ArrayLike<number>, random: () => number): number {
    const depth = findContextPath(this.tables.levels, context, this.path);
    for (let l = depth; l >= 1; l--) {
      const { succStart, succWord, succProb } = this.tables.levels[l]!;
      const node = this.path[l]!;
      const r = uniform(random);
      let cumulative = 0;
      for (let s = succStart[node]!, hi = succStart[node + 1]!; s < hi; s++) {
        cumulative += succProb[s]!;
        if (r < cumulative) return succWord[s]!;
      }
    }
    const r = uniform(random);
    const root = this.tables.levels[0]!;
    const cumulative = this.rootCumulative;
    if (r < cumulative[cumulative.length - 1]!) return root.succWord[firstAbove(cumulative, r)]!;
    return Math.min(Math.floor(uniform(random) * this.vocabSize), this.vocabSize - 1);
  }

  /**
   * Probability of `token` after `context` (exact, normalised over the whole vocabulary).
   *
   * @example
   * ```ts
   * model.probability([791], 21641); // e.g. 0.0123
   * ```
   */
  probability(context: ArrayLike<number>, token: number): number {
    if (!Number.isInteger(token) || token < 0 || token >= this.vocabSize) {
      throw new RadiomarkError('INVALID_ARGUMENT', `token ${token} is outside 0..${this.vocabSize - 1}`);
    }
    const depth = findContextPath(this.tables.levels, context, this.path);
    let p = this.baseProb[token]!;
    for (let l = 1; l <= depth; l++) {
      const { succStart, succWord, succProb, backoff } = this.tables.levels[l]!;
      const node = this.path[l]!;
      const s = searchSorted(succWord, succStart[node]!, succStart[node + 1]!, token);
      p = (s >= 0 ? succProb[s]! : 0) + backoff[node]! * p;
    }
    return p;
  }

  /**
   * Natural log of {@link probability}.
   *
   * @example
   * ```ts
   * -model.logProb(context, token) / Math.LN2; // bits
   * ```
   */
  logProb(context: ArrayLike<number>, token: number): number {
    return Math.log(this.probability(context, token));
  }

  /**
   * Number of stored n-gram entries per order (lowest first).
   *
   * @example
   * ```ts
   * model.ngramCounts(); // e.g. [62_000, 1_100_000, 2_300_000, 2_900_000]
   * ```
   */
  ngramCounts(): number[] {
    return this.tables.levels.map((level) => level.succWord.length);
  }
}

/** p(v) of the lowest order: discounted unigram plus the root's backoff spread uniformly. */
function unigramDistribution(tables: KneserNeyTables): Float64Array {
  const root = tables.levels[0]!;
  const base = new Float64Array(tables.vocabSize).fill(root.backoff[0]! / tables.vocabSize);
  for (let s = root.succStart[0]!; s < root.succStart[1]!; s++) base[root.succWord[s]!]! += root.succProb[s]!;
  return base;
}

function runningSums(values: Float32Array): Float64Array {
  const sums = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) sums[i + 1] = sums[i]! + values[i]!;
  return sums.subarray(1);
}

/** First index whose running sum exceeds `r` (`r` below the last sum). */
function firstAbove(sums: Float64Array, r: number): number {
  let lo = 0;
  let hi = sums.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sums[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function uniform(random: () => number): number {
  const r = random();
  if (!(r >= 0 && r < 1)) throw new RadiomarkError('INVALID_ARGUMENT', `random() must return a number in [0, 1), got ${r}`);
  return r;
}

function checkTables(tables: KneserNeyTables): void {
  const { order, vocabSize, levels } = tables;
  const ok =
    Number.isInteger(order) &&
    order >= 1 &&
    levels.length === order &&
    Number.isInteger(vocabSize) &&
    vocabSize > 0 &&
    levels[0] !== undefined &&
    levels[0].succStart.length === 2 &&
    (levels[0].backoff[0] ?? 0) > 0;
  if (!ok) throw new RadiomarkError('MODEL', 'inconsistent Kneser-Ney tables');
}
