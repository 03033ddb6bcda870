import { logSumExp } from './log-sum-exp.js';
import { checkOpenProbability } from './validate.js';

/**
 * The tilts of the betting mixture: 241 values lambda_j = 2^(-10 + 13 j / 240), log-uniform
 * over [1/1024, 8], weighted equally. Fixed before any data is seen, which is what makes the
 * mixture a test martingale.
 *
 * @example
 * ```ts
 * BETTING_TILTS.length; // 241
 * ```
 */
export const BETTING_TILTS: readonly number[] = Array.from({ length: 241 }, (_, j) => 2 ** (-10 + (13 * j) / 240));

/**
 * log10 of the anytime-valid p-value min(1, 1/M) of a betting mixture, where
 * M = mean over the tilts of exp(lambda S - Psi(lambda)) and `logMgf(lambda)` = Psi(lambda) is
 * the log moment generating function of the total S under H0, summed over the units scored.
 *
 * Proof (docs/RADIOACTIVITY.md, "Proven p-values"): if each unit's score X_t has, given
 * everything before it (including the choice to score it), the H0 law with log MGF psi_t, then
 * for each fixed lambda, exp(lambda S_t - Psi_t(lambda)) is a non-negative martingale of mean 1,
 * so is their average M_t, and Ville's inequality gives P[sup_t M_t >= 1/alpha] <= alpha.
 * Which units are scored may depend on the past; M depends on the units only through S and
 * Psi, so their order need not be known.
 *
 * @example
 * ```ts
 * bettingLog10PValue(300, (l) => 1000 * Math.log1p(0.25 * Math.expm1(l))); // about -8
 * ```
 */
export function bettingLog10PValue(sum: number, logMgf: (lambda: number) => number, tilts: readonly number[] = BETTING_TILTS): number {
  const terms = tilts.map((lambda) => lambda * sum - logMgf(lambda));
  const lnM = logSumExp(terms) - Math.log(tilts.length);
  return Math.min(0, -lnM / Math.LN10);
}

/**
 * Betting p-value (log10) for `successes` out of `trials` units that are each Bernoulli(p)
 * given the past under H0: the proven companion of the exact binomial tail when which units are
 * scored may depend on earlier outcomes.
 *
 * @example
 * ```ts
 * bernoulliBettingLog10P(300, 1000, 0.25); // -7.2 (binomial tail: -4.1 lower... see docs)
 * ```
 */
export function bernoulliBettingLog10P(successes: number, trials: number, p: number): number {
  checkOpenProbability('p', p);
  if (trials === 0) return 0;
  return bettingLog10PValue(successes, (lambda) => trials * Math.log1p(p * Math.expm1(lambda)));
}

/**
 * Betting p-value (log10) for a total of n units' scores X = B1 + B2 with independent
 * B1 ~ Bernoulli(p), B2 ~ Bernoulli(q) given the past under H0 (the ledger per-account
 * statistic: green plus digit hit).
 *
 * @example
 * ```ts
 * binomialSumBettingLog10P(700, 1000, 0.25, 0.25);
 * ```
 */
export function binomialSumBettingLog10P(total: number, n: number, p: number, q: number): number {
  checkOpenProbability('p', p);
  checkOpenProbability('q', q);
  if (n === 0) return 0;
  return bettingLog10PValue(total, (lambda) => n * (Math.log1p(p * Math.expm1(lambda)) + Math.log1p(q * Math.expm1(lambda))));
}

/**
 * Betting p-value (log10) for a sum of n units that are each Exponential(1) given the past
 * under H0 (the gumbel statistic -ln(1 - r)); tilts mapped into (0, 1) as lambda / (1 + lambda).
 *
 * @example
 * ```ts
 * exponentialBettingLog10P(1300, 1000);
 * ```
 */
export function exponentialBettingLog10P(sum: number, n: number): number {
  if (n === 0) return 0;
  return bettingLog10PValue(sum, (lambda) => -n * Math.log1p(-lambda), EXPONENTIAL_TILTS);
}

const EXPONENTIAL_TILTS = BETTING_TILTS.map((l) => l / (1 + l));
