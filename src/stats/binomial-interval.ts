import { check } from '../base/errors.js';
import { lnBinomialTail } from './binomial-tail.js';
import { checkInteger } from './validate.js';

/** A two-sided confidence interval for a binomial proportion. */
export interface ProportionInterval {
  lower: number;
  upper: number;
}

/**
 * Bisection for the boundary of a monotone predicate on (lo, hi): `below(v)` must be true
 * for v under the root and false above it. Runs until lo and hi are adjacent doubles, taking
 * geometric midpoints while the bracket spans more than a factor 4, so that a root near 1e-10
 * is found as precisely as one near 0.3 (~70 steps). Returns the final [lo, hi].
 */
function bisect(lo: number, hi: number, below: (v: number) => boolean): [number, number] {
  for (;;) {
    const mid = hi > 4 * lo ? Math.sqrt(lo) * Math.sqrt(hi) : lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) return [lo, hi];
    if (below(mid)) lo = mid;
    else hi = mid;
  }
}

/**
 * Clopper-Pearson "exact" two-sided confidence interval for a binomial proportion from
 * `successes` out of `trials`: the set of p not rejected by either one-sided exact binomial
 * test at level (1 - confidence) / 2. Guaranteed coverage >= `confidence` (conservative),
 * which is what checking an empirical false-positive rate against its nominal level needs.
 *
 * Each bound solves a binomial tail equation by bisection on the exact tail (the same code
 * as {@link log10BinomialTail}) to the last bit, rounded outwards; the upper bound is
 * bisected directly (never as 1 - something), so tiny upper bounds keep full precision.
 * Closed forms at 0 and `trials` successes.
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
  const x = successes;
  const n = trials;
  const lnHalfAlpha = Math.log((1 - confidence) / 2);
  const mean = x / n;
  // Lower: P[X >= x; p] = alpha/2, increasing in p; with x = n it reads p^n = alpha/2.
  let lower = 0;
  if (x === n) lower = Math.exp(lnHalfAlpha / n);
  else if (x > 0) {
    lower = bisect(Number.MIN_VALUE, mean, (p) => lnBinomialTail(x, n, p) < lnHalfAlpha)[0];
  }
  // Upper: P[X <= x; u] = P[Bin(n, 1 - u) >= n - x] = alpha/2, decreasing in u; with x = 0
  // it reads (1 - u)^n = alpha/2. The tail is evaluated with q = u exactly.
  let upper = 1;
  if (x === 0) upper = -Math.expm1(lnHalfAlpha / n);
  else if (x < n) {
    upper = bisect(mean, 1, (u) => lnBinomialTail(n - x, n, 1 - u, u) > lnHalfAlpha)[1];
  }
  return { lower, upper };
}
