import { checkNonNegative, checkPositive } from './validate.js';

/**
 * Deviance term x ln(x / m) + m - x (Loader's "bd0"), >= 0, computed without the
 * cancellation of its three large terms when x is close to m. This is what keeps binomial,
 * Poisson and gamma densities accurate at 10^8 trials.
 *
 * @param x - a finite number >= 0.
 * @param m - a finite number > 0.
 * @example
 * ```ts
 * deviance(1e8 + 1e4, 1e8); // 0.49998333416661667 (the naive formula is off by 7e-10)
 * deviance(0, 3);           // 3
 * ```
 */
export function deviance(x: number, m: number): number {
  checkNonNegative('x', x);
  checkPositive('m', m);
  return lnDeviance(x, m);
}

/** {@link deviance} without argument checks (internal hot path). */
export function lnDeviance(x: number, m: number): number {
  const diff = x - m;
  if (Math.abs(diff) < 0.1 * (x + m)) {
    // With v = (x - m) / (x + m): x ln(x/m) + m - x = (x - m) v + 2 x sum_{j>=1} v^(2j+1)/(2j+1),
    // whose terms shrink at least 100-fold each, so ~8 terms reach full precision.
    const v = diff / (x + m);
    let sum = diff * v;
    let power = 2 * x * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      power *= v2;
      const next = sum + power / (2 * j + 1);
      if (next === sum) return sum;
      sum = next;
    }
    return sum;
  }
  if (x === 0) return m;
  const ratio = x / m;
  // The split form only matters when x / m over- or underflows (m denormal, say).
  const logRatio = ratio > 0 && ratio < Infinity ? Math.log(ratio) : Math.log(x) - Math.log(m);
  return x * logRatio + m - x;
}
