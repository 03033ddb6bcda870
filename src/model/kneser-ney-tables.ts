import type { ContextTrieLevel } from './context-trie.js';
import { discountFor, modifiedKneserNeyDiscounts } from './discounts.js';
import type { NgramCountLevel } from './ngram-counts.js';

/**
 * One order of an interpolated Kneser-Ney model on its context level `j` (predicting the
 * token after `j` tokens):
 * `p(w | h) = succProb(h, w) + backoff(h) * p(w | h without its oldest token)`,
 * with `succProb = 0` for tokens never seen after `h`; the level-0 lower order is uniform.
 *
 * @example
 * ```ts
 * const root = model.tables.levels[0];
 * root.backoff[0]; // mass the unigram level leaves to the uniform distribution
 * ```
 */
export interface KneserNeyLevel extends ContextTrieLevel {
  /** Per context: the mass given to the lower order, `(D1 n1 + D2 n2 + D3 n3+) / total`. */
  readonly backoff: Float32Array;
  /** Per successor entry: its discounted probability `(count - D(count)) / total`. */
  readonly succProb: Float32Array;
}

/**
 * Everything an interpolated Kneser-Ney model is made of: plain typed arrays.
 *
 * @example
 * ```ts
 * const model = new KneserNeyModel(estimateKneserNey(countNgrams(streams, 3, V), V));
 * model.tables.discounts; // Float64Array of 9: [D1, D2, D3+] for orders 1, 2, 3
 * ```
 */
export interface KneserNeyTables {
  /** Highest n-gram order (contexts of up to `order - 1` tokens). */
  readonly order: number;
  /** Number of token ids; the model gives each of them a non-zero probability. */
  readonly vocabSize: number;
  /** `[D1, D2, D3+]` of each order, lowest first (`3 * order` numbers), for reports. */
  readonly discounts: Float64Array;
  /** Context levels 0..order-1. */
  readonly levels: readonly KneserNeyLevel[];
}

/**
 * Turns Kneser-Ney counts into model tables with modified Kneser-Ney discounts per order.
 *
 * @example
 * ```ts
 * const tables = estimateKneserNey(countNgrams(streams, 4, 200_019), 200_019);
 * ```
 */
export function estimateKneserNey(counts: readonly NgramCountLevel[], vocabSize: number): KneserNeyTables {
  const discounts = new Float64Array(3 * counts.length);
  const levels = counts.map((level, j) => {
    const d = modifiedKneserNeyDiscounts(level.succCount);
    discounts.set(d, 3 * j);
    return estimateLevel(level, d);
  });
  return { order: counts.length, vocabSize, discounts, levels };
}

function estimateLevel(level: NgramCountLevel, d: readonly number[]): KneserNeyLevel {
  const { succStart, succCount } = level;
  const contexts = succStart.length - 1;
  const backoff = new Float32Array(contexts);
  const succProb = new Float32Array(succCount.length);
  for (let i = 0; i < contexts; i++) {
    const lo = succStart[i]!;
    const hi = succStart[i + 1]!;
    let total = 0;
    let discounted = 0;
    for (let s = lo; s < hi; s++) {
      total += succCount[s]!;
      discounted += discountFor(d, succCount[s]!);
    }
    if (total === 0) {
      backoff[i] = 1; // an empty root: everything comes from the uniform distribution
      continue;
    }
    backoff[i] = discounted / total;
    for (let s = lo; s < hi; s++) succProb[s] = (succCount[s]! - discountFor(d, succCount[s]!)) / total;
  }
  return {
    key: level.key,
    childStart: level.childStart,
    succStart: level.succStart,
    succWord: level.succWord,
    backoff,
    succProb,
  };
}
