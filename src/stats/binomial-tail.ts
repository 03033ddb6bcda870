import { check } from '../base/errors.js';
import { lnBinomialPmf } from './binomial-pmf.js';
import { lnOneMinusExp } from './log1m-exp.js';
import { checkInteger, checkOpenProbability } from './validate.js';

const TINY = 1e-300;
const EPS = 1e-16;

/**
 * Continued fraction F with I_x(a, b) = x^a y^b / (a B(a, b)) * F, y = 1 - x, for
 * x < (a + 1) / (a + b + 2). This is the odd contraction of the classical fraction
 * 1 / (1 + d1 / (1 + d2 / ...)) (Numerical Recipes' `betacf`), F = 1 / T with
 * T = b0 + a1 / (b1 + a2 / (b2 + ...)), b_m = 1 + d_2m + d_2m+1, a_m = -d_2m-1 d_2m.
 * Each 1 + d_2m + d_2m+1 nearly cancels when x is near 1 or near the mean; rewritten with
 * 1 + lambda = (a + 1) - (a + b) x (DiDonato and Morris' lambda) it is a sum of positive
 * terms, which gains ~100x accuracy there. Modified Lentz evaluation; O(sqrt(a + b)) steps
 * at the mean (1,750 at n = 1e8), a few dozen in the tails.
 */
function betaContinuedFraction(a: number, b: number, x: number, y: number): number {
  const apb = a + b;
  // 1 + lambda from whichever of x, y is smaller: its rounding error is then the smaller.
  const l1 = x <= 0.5 ? a + 1 - apb * x : 1 - b + apb * y;
  const x2 = x * x;
  let t = l1 / (a + 1);
  if (Math.abs(t) < TINY) t = TINY;
  let c = t;
  let d = 0;
  const maxSteps = 100 + 4 * Math.ceil(Math.sqrt(apb));
  for (let m = 1; m <= maxSteps; m++) {
    const s = a + 2 * m;
    const bm =
      (2 * m * (a * a + 2 * a * b + a * m + 2 * b * m - a - m) + l1 * (a * a + a * b + 2 * a * m - a - b + 2 * m * m)) /
      (apb * (s - 1) * (s + 1));
    const am = (m * x2 * (b - m) * (a + m - 1) * (apb + m - 1)) / (s * (s - 2) * (s - 1) * (s - 1));
    d = bm + am * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = bm + am / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    t *= delta;
    if (Math.abs(delta - 1) <= EPS) break;
  }
  return 1 / t;
}

/**
 * ln P[Binomial(n, p) >= k] for integers 1 <= k <= n, without argument checks. `q` is
 * 1 - p; pass it when it is known more precisely than 1 - p rounds (p close to 1).
 *
 * P[X >= k] = I_p(k, n - k + 1) = P[X = k] (1 - p) F. Above the mean the fraction F converges
 * fast; at or below it we evaluate the lower tail P[X <= k - 1] = I_(1-p)(n - k + 1, k) the
 * same way and take ln(1 - lower) with log1p, so an upper tail of 1 - 1e-40 keeps its -1e-40.
 * The point masses come from Loader's saddle-point formula, so nothing cancels at n = 1e8.
 */
export function lnBinomialTail(k: number, n: number, p: number, q = 1 - p): number {
  if (p * (n + 3) < k + 1) {
    const lnQ = p < 0.5 ? Math.log1p(-p) : Math.log(q);
    const lnFraction = Math.log(betaContinuedFraction(k, n - k + 1, p, q));
    return lnBinomialPmf(k, n, p, q) + lnQ + lnFraction;
  }
  const lnFraction = Math.log(betaContinuedFraction(n - k + 1, k, q, p));
  const lnLower = lnBinomialPmf(k - 1, n, p, q) + Math.log(p) + lnFraction;
  return lnOneMinusExp(Math.min(lnLower, 0));
}

/**
 * log10 P[Binomial(n, p) >= k]: the exact one-sided p-value of observing k or more successes
 * in n independent trials of probability p (the KGW green-token test: k green among n scored
 * tuples, p = gamma).
 *
 * Exact up to floating point (measured <= 2e-13 relative against 430 50-digit references,
 * n up to 5e7), never underflows (k = n = 1e8, p = 0.25 gives -60205999.13...), and keeps
 * tiny complements (log10(1 - 1e-40) = -4.3e-41, not 0). Cost: 0.3-1.5 us in the tails;
 * O(sqrt(n)) continued-fraction steps right at the mean (2 us at n = 1e3, 5 us at 1e6,
 * 20 us at 1e8).
 *
 * @param k - observed successes, an integer in [0, n]; k = 0 gives 0.
 * @param n - trials, an integer >= 0.
 * @param p - success probability under the null, strictly between 0 and 1.
 * @returns log10 of the tail probability, in (-Infinity, 0].
 * @throws RadiomarkError `INVALID_ARGUMENT` for non-integer or negative k or n, k > n, or p
 * outside (0, 1).
 * @example
 * ```ts
 * log10BinomialTail(30, 50, 0.25);   // -6.784551327963964 (p-value 1.6e-7)
 * log10BinomialTail(1e7, 1e7, 0.25); // -6020599.913279624
 * ```
 */
export function log10BinomialTail(k: number, n: number, p: number): number {
  checkInteger('n', n);
  checkInteger('k', k);
  check(k <= n, `k must be <= n (successes cannot exceed trials), got k = ${k}, n = ${n}`);
  checkOpenProbability('p', p);
  if (k === 0) return 0;
  const log10 = lnBinomialTail(k, n, p) * Math.LOG10E;
  return log10 === 0 ? 0 : log10; // +0 rather than the -0 of an underflowed complement
}
