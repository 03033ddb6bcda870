import { check } from '../base/errors.js';
import { checkPositive } from './validate.js';

/** ln(sqrt(2 pi)). */
export const LN_SQRT_2PI = 0.918938533204672741780329736406;

const EULER_GAMMA = 0.577215664901532860606512090082;

// zeta(k) - 1 for k = 2..29 (mpmath, 40 digits, rounded). These decay like 2^-k, so the
// series below converges like 4^-k on |z| <= 0.5.
const ZETA_MINUS_ONE = [
  0.64493406684822644, 0.20205690315959429, 0.082323233711138192, 0.036927755143369926, 0.01734306198444914, 0.0083492773819228268,
  0.0040773561979443394, 0.0020083928260822144, 0.00099457512781808534, 0.00049418860411946456, 0.0002460865533080483,
  0.00012271334757848915, 6.1248135058704829e-5, 3.0588236307020494e-5, 1.5282259408651872e-5, 7.6371976378997623e-6, 3.8172932649998399e-6,
  1.9082127165539389e-6, 9.5396203387279611e-7, 4.7693298678780646e-7, 2.3845050272773299e-7, 1.1921992596531107e-7, 5.960818905125948e-8,
  2.980350351465228e-8, 1.4901554828365041e-8, 7.4507117898354295e-9, 3.7253340247884571e-9, 1.862659723513049e-9,
];

// Taylor coefficients of lnGamma(2 + z) - z (1 - gamma) around z = 0: (-1)^k (zeta(k)-1) / k.
const SERIES = ZETA_MINUS_ONE.map((v, i) => ((i % 2 === 0 ? 1 : -1) * v) / (i + 2));

/**
 * lnGamma(2 + z) - z (1 - gamma) for |z| <= 0.5, by Horner on the zeta series. Having no
 * constant term, it keeps full relative accuracy near the zeros of lnGamma at 1 and 2.
 */
function lnGamma2pRemainder(z: number): number {
  let sum = 0;
  for (let i = SERIES.length - 1; i >= 0; i--) sum = sum * z + SERIES[i]!;
  return sum * z * z;
}

/**
 * Stirling series sum_k B_2k / (2k (2k-1) x^(2k-1)) = lnGamma(x) - [(x - 1/2) ln x - x +
 * ln sqrt(2 pi)], truncated after x^-15: below 1e-18 relative for x >= 10.
 */
export function stirlingSeries(x: number): number {
  const r = 1 / (x * x);
  return (
    (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r * (1 / 1188 - r * (691 / 360360 - r * (1 / 156 - (r * 3617) / 122400))))))) /
    x
  );
}

/**
 * Natural log of Gamma(1 + x), accurate (relative) also for tiny |x|, where
 * `logGamma(1 + x)` would lose the digits of x in the rounding of 1 + x.
 *
 * @param x - a number > -1.
 * @example
 * ```ts
 * logGamma1p(1e-20); // -5.772156649015328e-21 (= -EulerGamma * x)
 * logGamma1p(4);     // 3.1780538303479458 (= ln 24)
 * ```
 */
export function logGamma1p(x: number): number {
  check(typeof x === 'number' && x > -1 && x < Infinity, `x must be a finite number > -1, got ${String(x)}`);
  return lnGamma1p(x);
}

/** {@link logGamma1p} without argument checks (internal hot path). */
export function lnGamma1p(x: number): number {
  if (Math.abs(x) <= 0.5) return -Math.log1p(x) + x * (1 - EULER_GAMMA) + lnGamma2pRemainder(x);
  if (x > 0.5 && x < 1.5) return (x - 1) * (1 - EULER_GAMMA) + lnGamma2pRemainder(x - 1);
  return lnGamma(x + 1);
}

/**
 * Natural log of the Gamma function for x > 0, to about 1e-15 relative (absolute near its
 * zeros at 1 and 2, where it is also relatively accurate). Finite up to x ~ 2.5e305.
 *
 * Method: zeta-series around 1 and 2 for x < 2.5 (upward recurrence below 0.5, downward
 * recurrence to that interval below 10), Stirling series from 10 on.
 *
 * @param x - a number > 0.
 * @example
 * ```ts
 * logGamma(0.5); // 0.5723649429247001 (= ln sqrt(pi))
 * logGamma(1e8);  // 1742068066.1038349
 * ```
 */
export function logGamma(x: number): number {
  checkPositive('x', x);
  return lnGamma(x);
}

/** {@link logGamma} without argument checks (internal hot path). */
export function lnGamma(x: number): number {
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingSeries(x);
  if (x < 0.5) return lnGamma1p(x) - Math.log(x);
  if (x < 1.5) return lnGamma1p(x - 1);
  // Bring x down into [1.5, 2.5) with Gamma(x) = (x-1) Gamma(x-1); the product stays < 9!.
  let product = 1;
  let y = x;
  while (y >= 2.5) {
    y -= 1;
    product *= y;
  }
  const base = (y - 2) * (1 - EULER_GAMMA) + lnGamma2pRemainder(y - 2);
  return product === 1 ? base : base + Math.log(product);
}
