import { check } from '../errors.js';
import { lnBinomialTail } from './binomial-tail.js';
import { checkInteger } from './validate.js';

/** A two-sided confidence interval for a binomial proportion. */
export interface ProportionInterval {
  lower: number;
  upper: number;
}

/**
 * Smallest p with ln P[Binomial(n, p) >= x] >= target, for 1 <= x < n, by bisection down
 * to adjacent doubles (geometric midpoints while the bracket spans more than a factor 4, so
 * bounds like 1e-12 are found as precisely as 0.3). P[X >= x] increases with p, and at
 * p = x / n it is at least 1/2 (the median of Binomial(n, x/n) is x), above any target.
 */
function lowerBound(x: number, n: number, lnTarget: number): number {
  let lo = Number.MIN_VALUE;
  let hi = x / n;
  for (;;) {
    const mid = hi > 4 * lo ? Math.sqrt(lo) * Math.sqrt(hi) : lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) return lo;
    if (lnBinomialTail(x, n, mid) < lnTarget) lo = mid;
    else hi = mid;
  }
}

/**
 * Clopper-Pearson "exact" two-sided confidence interval for a binomial proportion from
 * `successes` out of `trials`: the set of p not rejected by either one-sided exact binomial
 * test at level (1 - confidence) / 2. Guaranteed coverage >= `confidence` (conservative),
 * which is what checking an empirical false-positive rate against its nominal level needs.
 * Bounds are found by bisection on {@link log10BinomialTail}, closed forms at 0 and
 * `trials` successes.
 *
 * @param successes - an integer in [0, trials].
 * @param trials - an integer >= 0 (0 trials gives [0, 1]).
 * @param confidence - the coverage, strictly between 0 and 1; default 0.95.
 * @example
 * ```ts
 * clopperPearson(0, 10);       // { lower: 0, upper: 0.3084971078187607 }
 * clopperPearson(5, 10, 0.95); // { lower: 0.18708602844739858, upper: 0.8129139715526015 }
 * ```
 */
export function clopperPearson(successes: number, trials: number, confidence = 0.95): ProportionInterval {
  checkInteger('trials', trials);
  checkInteger('successes', successes);
  check(successes <= trials, `successes must be <= trials, got ${successes} > ${trials}`);
  check(
    typeof confidence === 'number' && confidence > 0 && confidence < 1,
    `confidence must be a number strictly between 0 and 1, got ${String(confidence)}`,
  );
  if (trials === 0) return { lower: 0, upper: 1 };
  const lnHalfAlpha = Math.log((1 - confidence) / 2);
  // With x = 0 or x = n the defining equations are (1 - p)^n = alpha/2 and p^n = alpha/2.
  const edge = Math.exp(lnHalfAlpha / trials);
  const lower =
    successes === 0 ? 0 : successes === trials ? edge : lowerBound(successes, trials, lnHalfAlpha);
  // Upper bound for x successes = 1 - lower bound for the n - x failures.
  const failures = trials - successes;
  const upper =
    failures === 0 ? 1 : failures === trials ? -Math.expm1(lnHalfAlpha / trials) : 1 - lowerBound(failures, trials, lnHalfAlpha);
  return { lower, upper };
}
