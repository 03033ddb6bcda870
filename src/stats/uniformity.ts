import { check } from '../base/errors.js';
import { lnKolmogorovSmirnovSurvival } from './kolmogorov-distribution.js';

/** Result of {@link ksUniformTest}. */
export interface KsTestResult {
  /** Number of values tested. */
  n: number;
  /** The Kolmogorov-Smirnov statistic D_n = sup |F_n(u) - u|. */
  statistic: number;
  /** P(D_n >= statistic) under H0: the values are i.i.d. Uniform(0, 1). */
  pValue: number;
  /** log10 of `pValue`, still finite where `pValue` underflows to 0. */
  log10PValue: number;
}

/**
 * One-sample Kolmogorov-Smirnov test of H0 "the values are i.i.d. Uniform(0, 1)". The
 * radioactivity report uses it on the p-values of the same test run under many wrong keys:
 * under the null those must look uniform, so a small p-value here flags a miscalibrated
 * test (or a key that is not really wrong).
 *
 * P-value: exact for n <= 1000 (Marsaglia, Tsang and Wang 2003, and the exact Smirnov sum
 * in the tail), and for larger n the exact Smirnov sum in the tail (p < ~0.025) with
 * Kolmogorov's limit law plus Vrbik's (2018) small-sample correction in the body (absolute
 * error < 2e-5). Sorting dominates the cost: ~0.2-0.3 s for n = 1e6.
 *
 * The null distribution assumes continuous values. P-values of discrete tests (a binomial
 * test on few tokens) are not exactly uniform even under their own null, so expect this test
 * to flag them when there are many; pool tokens or use a mid-p first.
 *
 * @param values - the sample, each a number in [0, 1]; at least one.
 * @returns the statistic, its p-value and log10 p-value.
 * @throws RadiomarkError `INVALID_ARGUMENT` for an empty array or a value outside [0, 1].
 * @example
 * ```ts
 * ksUniformTest([0.1, 0.4, 0.7, 0.9]).pValue;    // 0.98785 (D = 0.2): looks uniform
 * ksUniformTest(new Array(50).fill(0.01)).pValue; // 2.0000000000001523e-100: not uniform
 * ```
 */
export function ksUniformTest(values: readonly number[]): KsTestResult {
  check(Array.isArray(values) && values.length > 0, 'values must be a non-empty array of numbers in [0, 1]');
  const n = values.length;
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // typeof check first: Float64Array would silently coerce strings and null.
    if (!(typeof v === 'number' && v >= 0 && v <= 1)) {
      check(false, `values[${i}] must be a number in [0, 1], got ${String(v)}`);
    }
    sorted[i] = v;
  }
  sorted.sort();
  let statistic = 0;
  for (let i = 0; i < n; i++) {
    // The empirical cdf jumps from i/n to (i+1)/n at sorted[i].
    statistic = Math.max(statistic, (i + 1) / n - sorted[i]!, sorted[i]! - i / n);
  }
  const lnP = lnKolmogorovSmirnovSurvival(n, statistic);
  return { n, statistic, pValue: Math.exp(lnP), log10PValue: lnP * Math.LOG10E };
}
