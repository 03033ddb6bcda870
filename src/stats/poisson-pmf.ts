import { lnDeviance } from './deviance.js';
import { lnGamma1p } from './log-gamma.js';
import { lnStirlingError } from './stirling-error.js';
import { checkNonNegative, checkPositive } from './validate.js';

const LN_2PI = 1.83787706640934548356065947281;

/**
 * Natural log of lambda^x e^-lambda / Gamma(x + 1): the Poisson probability for integer x,
 * extended to real x >= 0 (it is the prefactor of the incomplete gamma function). Uses
 * Loader's saddle-point form from x = 10 on, so x ~ lambda ~ 1e8 loses no digits to
 * cancellation.
 *
 * @param x - a finite number >= 0.
 * @param lambda - the mean, a finite number > 0.
 * @example
 * ```ts
 * logPoissonPmf(2, 3);     // -1.4959226032237263 (ln(9 e^-3 / 2))
 * logPoissonPmf(1e8, 1e8); // -10.12927890601419 (about -ln sqrt(2 pi 1e8))
 * ```
 */
export function logPoissonPmf(x: number, lambda: number): number {
  checkNonNegative('x', x);
  checkPositive('lambda', lambda);
  return lnPoissonPmf(x, lambda);
}

/** {@link logPoissonPmf} without argument checks (internal hot path). */
export function lnPoissonPmf(x: number, lambda: number): number {
  if (x === 0) return -lambda;
  // Small x: the direct form has no large cancelling terms (and avoids ln x -> -Infinity).
  if (x < 10) return x * Math.log(lambda) - lambda - lnGamma1p(x);
  return -lnStirlingError(x) - lnDeviance(x, lambda) - 0.5 * (LN_2PI + Math.log(x));
}
