import { check } from '../base/errors.js';

/**
 * ln(1 - e^x) for x <= 0, accurate over the whole range (Maechler 2012): `log(-expm1(x))`
 * near 0, `log1p(-exp(x))` below -ln 2. Turns the log of one tail into the log of the other,
 * e.g. ln P[X >= k] from ln P[X < k], keeping tiny complements such as -1e-40.
 *
 * @param x - a number <= 0 (-Infinity gives 0, 0 gives -Infinity).
 * @example
 * ```ts
 * log1mExp(-92.1);  // -1.0034095189937283e-40 (ln(1 - e^-92.1))
 * log1mExp(-1e-20); // -46.051701859880914 (ln 1e-20)
 * ```
 */
export function log1mExp(x: number): number {
  check(typeof x === 'number' && x <= 0, `x must be a number <= 0, got ${String(x)}`);
  return lnOneMinusExp(x);
}

/** {@link log1mExp} without argument checks (internal hot path). */
export function lnOneMinusExp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}
