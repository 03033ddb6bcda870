import { lnBinomialPmf } from './binomial-pmf.js';
import { log10BinomialTail } from './binomial-tail.js';

/**
 * Randomized p-value of the one-sided binomial test: P[X > k] + u P[X = k] with
 * X ~ Binomial(n, gamma) and u ~ Uniform(0, 1). Under H0 it is exactly Uniform(0, 1)
 * (the plain p-value P[X >= k] is discrete and stochastically larger), which is what a
 * Kolmogorov-Smirnov uniformity test of many control p-values needs. Used for the
 * controls' KS test only, never for a verdict.
 *
 * @example
 * ```ts
 * randomizedBinomialPValue(30, 100, 0.25, Math.random()); // between P[X > 30] and P[X >= 30]
 * ```
 */
export function randomizedBinomialPValue(k: number, n: number, gamma: number, u: number): number {
  if (n === 0) return u;
  const above = k + 1 > n ? 0 : 10 ** log10BinomialTail(k + 1, n, gamma);
  const at = Math.exp(lnBinomialPmf(k, n, gamma, 1 - gamma));
  return Math.min(1, above + u * at);
}
