import type { WatermarkParams } from '../key/params.js';
import { binomialZ, log10BinomialTail, log10GammaTail } from '../stats/index.js';
import { randomizedBinomialPValue } from '../stats/randomized-p-value.js';
import { bernoulliBettingLog10P, exponentialBettingLog10P } from '../stats/betting-martingale.js';
import { effectiveGamma, greenThreshold } from '../prf/token-mixer.js';

/**
 * How a scheme scores one de-duplicated tuple from its 32-bit PRF value u, and the exact
 * null distribution of the total. Under H0 (text independent of the key) the u of distinct
 * PRF inputs are independent and uniform, which each null below relies on.
 */
export interface TupleScoring {
  readonly scheme: WatermarkParams['scheme'];
  /** Score of one tuple. */
  score(u: number): number;
  /** For display (green/red colouring): did u favour the token? */
  favourable(u: number): boolean;
  /** Exact log10 P[total >= observed] under H0 for `scored` tuples. */
  log10PValue(total: number, scored: number): number;
  /**
   * log10 of the betting-mixture p-value of the total (src/stats/betting-martingale.ts): valid
   * with a proof when which tuples are scored may depend on the colours of earlier ones (the
   * filtered closed mode); a little less powerful than the exact tail.
   */
  bettingLog10PValue(total: number, scored: number): number;
  /** Standardised score, for display only. */
  z(total: number, scored: number): number;
  /** KGW: exact null probability of green; others: probability that a tuple is `favourable`. */
  readonly gamma: number;
  /** H0 and the test, in words. */
  readonly nullHypothesis: string;
  /** Name of the statistic in radioactivity reports. */
  readonly statistic: 'binomial' | 'gamma' | 'g-values';
  /** Expected score of one tuple under H0 (the report's `expected` is this times `scored`). */
  readonly meanScore: number;
  /**
   * A p-value exactly uniform under H0, given u uniform on [0, 1): the randomized binomial
   * p-value P[X > k] + u P[X = k] for discrete statistics, the p-value itself (u unused) for
   * the continuous one. The wrong-key controls' KS test uses it.
   */
  uniformPValue(total: number, scored: number, u: number): number;
  /** What {@link TupleScoring.uniformPValue} returns. */
  readonly uniformKind: 'randomized-binomial' | 'continuous';
}

const TWO32 = 4294967296;

/**
 * The scoring of a key's scheme.
 *
 * @example
 * ```ts
 * const scoring = tupleScoring(key.params);
 * scoring.log10PValue(total, scored);
 * ```
 */
export function tupleScoring(params: WatermarkParams): TupleScoring {
  if (params.scheme === 'gumbel') return GUMBEL;
  if (params.scheme === 'synthid') return synthidScoring(params.layers);
  return kgwScoring(params.gamma);
}

function kgwScoring(gamma: number): TupleScoring {
  const threshold = greenThreshold(gamma);
  const p = effectiveGamma(threshold);
  return {
    scheme: 'kgw',
    score: (u) => (u < threshold ? 1 : 0),
    favourable: (u) => u < threshold,
    log10PValue: (total, scored) => (scored === 0 ? 0 : log10BinomialTail(total, scored, p)),
    bettingLog10PValue: (total, scored) => bernoulliBettingLog10P(total, scored, p),
    z: (total, scored) => (scored === 0 ? 0 : binomialZ(total, scored, p)),
    gamma: p,
    nullHypothesis:
      'H0: the text was written independently of the key, so each distinct scored (window, token) tuple is green with probability gamma, independently (exact binomial test).',
    statistic: 'binomial',
    meanScore: p,
    uniformPValue: (total, scored, u) => randomizedBinomialPValue(total, scored, p, u),
    uniformKind: 'randomized-binomial',
  };
}

// r = (u + 1/2) / 2^32 is uniform on (0, 1) without the endpoints, so -ln(1 - r) is finite.
const GUMBEL: TupleScoring = {
  scheme: 'gumbel',
  score: (u) => -Math.log1p(-(u + 0.5) / TWO32),
  favourable: (u) => u >= TWO32 / 2,
  log10PValue: (total, scored) => (scored === 0 ? 0 : log10GammaTail(total, scored)),
  bettingLog10PValue: (total, scored) => exponentialBettingLog10P(total, scored),
  z: (total, scored) => (scored === 0 ? 0 : (total - scored) / Math.sqrt(scored)),
  gamma: 0.5,
  nullHypothesis:
    'H0: the text was written independently of the key, so each distinct scored tuple contributes -ln(1 - r) with r uniform, independently: the total is Gamma(scored, 1) (exact test).',
  statistic: 'gamma',
  meanScore: 1,
  uniformPValue: (total, scored) => 10 ** GUMBEL.log10PValue(total, scored),
  uniformKind: 'continuous',
};

function synthidScoring(layers: number): TupleScoring {
  const mask = layers === 32 ? 0xffffffff : (1 << layers) - 1;
  return {
    scheme: 'synthid',
    score: (u) => popcount((u & mask) >>> 0),
    favourable: (u) => 2 * popcount((u & mask) >>> 0) > layers,
    log10PValue: (total, scored) => (scored === 0 ? 0 : log10BinomialTail(total, scored * layers, 0.5)),
    bettingLog10PValue: (total, scored) => bernoulliBettingLog10P(total, scored * layers, 0.5),
    z: (total, scored) => (scored === 0 ? 0 : binomialZ(total, scored * layers, 0.5)),
    gamma: 0.5,
    nullHypothesis: `H0: the text was written independently of the key, so the ${layers} g-value bits of each distinct scored tuple are independent fair coins: their total is Binomial(${layers} x scored, 1/2) (exact test).`,
    statistic: 'g-values',
    meanScore: layers / 2,
    uniformPValue: (total, scored, u) => randomizedBinomialPValue(total, scored * layers, 0.5, u),
    uniformKind: 'randomized-binomial',
  };
}

/** Number of set bits of a 32-bit value. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
