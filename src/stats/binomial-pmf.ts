import { lnDeviance } from './deviance.js';
import { lnStirlingError } from './stirling-error.js';
import { checkInteger, checkOpenProbability } from './validate.js';
import { check } from '../base/errors.js';

const LN_2PI = 1.83787706640934548356065947281;

/**
 * Natural log of the binomial probability P[Binomial(n, p) = k], by Loader's (2000)
 * saddle-point form: every term is small, so it stays accurate (about 1e-15 relative to the
 * result's magnitude) for n up to 2^53 and never underflows to -Infinity.
 *
 * @param k - successes, an integer in [0, n].
 * @param n - trials, an integer >= 0.
 * @param p - success probability in (0, 1).
 * @example
 * ```ts
 * logBinomialPmf(3, 10, 0.25);    // -1.3851658477400923 (ln 0.2503)
 * logBinomialPmf(1e8, 1e8, 0.25); // -138629436.11198905 (= 1e8 ln 0.25)
 * ```
 */
export function logBinomialPmf(k: number, n: number, p: number): number {
  checkInteger('n', n);
  checkInteger('k', k);
  check(k <= n, `k must be <= n, got k = ${k}, n = ${n}`);
  checkOpenProbability('p', p);
  return lnBinomialPmf(k, n, p, 1 - p);
}

/**
 * {@link logBinomialPmf} without argument checks; `q` is 1 - p, passed separately so that
 * callers who know it exactly (p close to 1) keep its digits.
 */
export function lnBinomialPmf(k: number, n: number, p: number, q: number): number {
  if (k === 0) return n * (p < 0.5 ? Math.log1p(-p) : Math.log(q));
  if (k === n) return n * Math.log(p);
  const lc = lnStirlingError(n) - lnStirlingError(k) - lnStirlingError(n - k) - lnDeviance(k, n * p) - lnDeviance(n - k, n * q);
  // ln(2 pi k (n - k) / n), the Gaussian normalisation at the saddle point. Taking m as the
  // smaller of k and n - k keeps m / n <= 1/2, so 1 - m / n does not cancel.
  const m = Math.min(k, n - k);
  const lf = LN_2PI + Math.log(m) + Math.log1p(-m / n);
  return lc - 0.5 * lf;
}
