import { check } from '../base/errors.js';
import { checkInteger, checkOpenProbability } from './validate.js';

/**
 * Normal-approximation z-score of a binomial count: (green - n p) / sqrt(n p (1 - p)), how
 * many standard deviations `green` lies above its null mean.
 *
 * For display and comparison with other tools only: radiomark never decides with it. The
 * z-test is anti-conservative for short texts (nominal 1e-9 is really 3.5e-8 at n = 50,
 * p = 0.25); decisions use the exact tail {@link log10BinomialTail}.
 *
 * @param green - the observed count, an integer in [0, n].
 * @param n - trials, an integer >= 1.
 * @param p - the null success probability, strictly between 0 and 1.
 * @example
 * ```ts
 * binomialZ(40, 100, 0.25); // 3.4641016151377544
 * ```
 */
export function binomialZ(green: number, n: number, p: number): number {
  checkInteger('n', n, 1);
  checkInteger('green', green);
  check(green <= n, `green must be <= n, got green = ${green}, n = ${n}`);
  checkOpenProbability('p', p);
  return (green - n * p) / Math.sqrt(n * p * (1 - p));
}
