import { check } from '../base/errors.js';

/**
 * ln(e^a + e^b) without overflow or underflow.
 *
 * @example
 * ```ts
 * logAddExp(-1000, -1000); // -999.3068528194401 (= -1000 + ln 2)
 * logAddExp(-Infinity, 5); // 5
 * ```
 */
export function logAddExp(a: number, b: number): number {
  check(!Number.isNaN(a) && !Number.isNaN(b), `a and b must not be NaN, got ${a}, ${b}`);
  const hi = Math.max(a, b);
  if (hi === -Infinity || hi === Infinity) return hi;
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/**
 * ln(sum_i e^(values[i])) without overflow or underflow (one pass over the values after
 * finding the maximum). An empty list gives -Infinity (the log of an empty sum).
 *
 * @example
 * ```ts
 * logSumExp([-2000, -2000, -2000]); // -1998.9013877113318 (= -2000 + ln 3)
 * logSumExp([]);                    // -Infinity
 * ```
 */
export function logSumExp(values: readonly number[]): number {
  check(Array.isArray(values), 'values must be an array of numbers');
  let hi = -Infinity;
  for (const v of values) {
    check(typeof v === 'number' && !Number.isNaN(v), `values must be numbers, got ${String(v)}`);
    if (v > hi) hi = v;
  }
  if (hi === -Infinity || hi === Infinity) return hi;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - hi);
  return hi + Math.log(sum);
}
