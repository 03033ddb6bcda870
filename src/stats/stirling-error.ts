import { LN_SQRT_2PI, lnGamma1p, stirlingSeries } from './log-gamma.js';
import { checkPositive } from './validate.js';

// Exact values (mpmath, 40 digits, rounded) at integers 1..15, where the defining difference
// would cancel and the series is not yet accurate. Index 0 is unused.
const INTEGER_VALUES = [
  0, 0.081061466795327258, 0.041340695955409294, 0.027677925684998339, 0.020790672103765093, 0.016644691189821192, 0.013876128823070748,
  0.01189670994589177, 0.010411265261972096, 0.0092554621827127329, 0.0083305634333628713, 0.0075736754879518408, 0.0069428401072095299,
  0.0064089941880042071, 0.0059513701127588477, 0.0055547335519628014,
];

/**
 * Error of Stirling's formula: ln(Gamma(x + 1)) - [(x + 1/2) ln x - x + ln sqrt(2 pi)].
 * Loader (2000) writes densities with it and {@link deviance} so that no large terms cancel.
 *
 * @param x - a number > 0.
 * @example
 * ```ts
 * stirlingError(1);   // 0.08106146679532726
 * stirlingError(1e6); // 8.333333333333056e-8 (about 1 / (12 x))
 * ```
 */
export function stirlingError(x: number): number {
  checkPositive('x', x);
  return lnStirlingError(x);
}

/** {@link stirlingError} without argument checks (internal hot path). */
export function lnStirlingError(x: number): number {
  if (x <= 15 && Number.isInteger(x)) return INTEGER_VALUES[x]!;
  if (x >= 10) return stirlingSeries(x);
  return lnGamma1p(x) - (x + 0.5) * Math.log(x) + x - LN_SQRT_2PI;
}
