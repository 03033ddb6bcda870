import { check } from '../base/errors.js';
import { lnOneMinusExp } from './log1m-exp.js';
import { checkInteger, checkLog10P } from './validate.js';

// All corrections take and return log10 p-values, because the p-values they correct
// (radioactivity tests) go far below the smallest double.

/** min(0, v), returning +0 rather than -0 (p = 1 should compare equal to 0 with Object.is). */
function capAtZero(v: number): number {
  return v < 0 ? v : v === 0 || v > 0 ? 0 : v; // NaN passes through
}

/**
 * Bonferroni correction over a pre-registered family of `m` tests: log10 min(1, m p).
 * Valid under any dependence between the tests.
 *
 * @param log10p - the log10 p-value of one test (<= 0).
 * @param m - the family size, an integer >= 1.
 * @example
 * ```ts
 * bonferroniLog10(-12, 1000); // -9
 * bonferroniLog10(-1, 1000);  // 0 (capped at p = 1)
 * ```
 */
export function bonferroniLog10(log10p: number, m: number): number {
  checkLog10P('log10p', log10p);
  checkInteger('m', m, 1);
  return capAtZero(log10p + Math.log10(m));
}

/**
 * Šidák correction over a family of `m` independent tests: log10(1 - (1 - p)^m), the exact
 * probability that the smallest of m independent uniform p-values is <= p. Slightly less
 * conservative than {@link bonferroniLog10} (never larger). Computed as
 * ln(1 - e^(m ln(1 - p))) with log1p/expm1 throughout, so p = 1e-300 with m = 1e6 gives
 * -294 exactly rather than log10(0).
 *
 * @param log10p - the log10 p-value of one test (<= 0).
 * @param m - the family size, an integer >= 1.
 * @example
 * ```ts
 * sidakLog10(-300, 1e6);           // -294.00000000000006 (1 - (1 - 1e-300)^1e6 = 1e-294)
 * sidakLog10(Math.log10(0.05), 2); // -1.0109953843014632 (= log10 0.0975)
 * ```
 */
export function sidakLog10(log10p: number, m: number): number {
  checkLog10P('log10p', log10p);
  checkInteger('m', m, 1);
  const lnP = log10p * Math.LN10;
  if (lnP === -Infinity) return -Infinity;
  // ln(-ln(1 - p)); below p ~ 4e-18, -ln(1 - p) = p to double precision.
  const lnMinusLnQ = lnP < -40 ? lnP : Math.log(-lnOneMinusExp(lnP));
  const lnX = Math.log(m) + lnMinusLnQ; // x = -m ln(1 - p) >= 0; the answer is ln(1 - e^-x)
  // Below x ~ 8.5e-17, 1 - e^-x = x to double precision (and exp(lnX) could underflow).
  const lnResult = lnX < -37 ? lnX : lnOneMinusExp(-Math.exp(lnX));
  return capAtZero(lnResult * Math.LOG10E);
}

/**
 * Holm's step-down adjustment of a family of p-values, in log10 space: sort ascending,
 * multiply the i-th smallest (i from 0) by m - i, take running maxima so the adjusted values
 * keep the order of the raw ones, cap at 1. Rejecting every adjusted p-value <= alpha
 * controls the family-wise error rate at alpha under any dependence, and rejects at least
 * what Bonferroni rejects. Returned in the input order.
 *
 * @param log10ps - log10 p-values of the family (each <= 0); the family size is its length.
 * @example
 * ```ts
 * holmLog10([-3, -1, -5]); // [-2.6989700043360187, -1, -4.522878745280337]
 * ```
 */
export function holmLog10(log10ps: readonly number[]): number[] {
  check(Array.isArray(log10ps), 'log10ps must be an array of log10 p-values');
  log10ps.forEach((v, i) => checkLog10P(`log10ps[${i}]`, v));
  const m = log10ps.length;
  const order = log10ps.map((_, i) => i).sort((a, b) => log10ps[a] - log10ps[b] || a - b);
  const adjusted = new Array<number>(m);
  let running = -Infinity;
  order.forEach((index, rank) => {
    running = Math.max(running, capAtZero(log10ps[index] + Math.log10(m - rank)));
    adjusted[index] = running;
  });
  return adjusted;
}
