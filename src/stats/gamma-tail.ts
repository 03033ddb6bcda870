import { lnGamma1p } from './log-gamma.js';
import { lnOneMinusExp } from './log1m-exp.js';
import { lnPoissonPmf } from './poisson-pmf.js';
import { checkNonNegative, checkPositive } from './validate.js';

const TINY = 1e-300;
const EPS = 1e-16;
const EULER_GAMMA = 0.577215664901532860606512090082;

/** Steps allowed to a continued fraction: they need O(sqrt(a)) near x = a, far fewer elsewhere. */
function stepBudget(a: number): number {
  return 200 + 4 * Math.ceil(Math.sqrt(a));
}

/**
 * ln P(a, x), the regularized lower incomplete gamma, for x < a + 1, as
 * x^a e^-x / Gamma(a + 1) / T. T is the odd contraction of the fraction
 * 1 - x/(a+1) / (1 + x/((a+1)(a+2)) / (1 - (a+1) x/((a+2)(a+3)) / ...)) (the b -> infinity
 * limit of the incomplete-beta fraction): T = b0 + a1 / (b1 + a2 / ...) with
 * b_m = (4 m (a + m) + (a + 1 - x)(a - 1)) / ((a + 2m)^2 - 1), a sum of positive terms for
 * a >= 1 (the uncontracted steps cancel near x = a, costing ~60x in accuracy at a = 2.5e7).
 * Near x = a this needs ~0.25 sqrt(a) steps where the power series needs ~8.6 sqrt(a)
 * (2,400 against 74,000 at a = 1e8).
 */
function lnLowerByFraction(a: number, x: number): number {
  const l1 = a + 1 - x; // exact (Sterbenz) when x is close to a + 1
  const x2 = x * x;
  let t = l1 / (a + 1);
  if (Math.abs(t) < TINY) t = TINY;
  let c = t;
  let d = 0;
  const steps = stepBudget(a);
  for (let m = 1; m <= steps; m++) {
    const s = a + 2 * m;
    const bm = (4 * m * (a + m) + l1 * (a - 1)) / ((s - 1) * (s + 1));
    const am = (m * x2 * (a + m - 1)) / (s * (s - 2) * (s - 1) * (s - 1));
    d = bm + am * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = bm + am / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    t *= delta;
    if (Math.abs(delta - 1) <= EPS) break;
  }
  return lnPoissonPmf(a, x) - Math.log(t);
}

/**
 * ln Q(a, x) by the Legendre continued fraction Gamma(a, x) = x^a e^-x / (x + 1 - a -
 * 1 (1 - a) / (x + 3 - a - ...)), modified Lentz. Use for x >= a + 1 (or x >= 1.1, a < 1).
 */
function lnUpperByFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  const steps = stepBudget(a);
  for (let i = 1; i <= steps; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPS) break;
  }
  // x^a e^-x / Gamma(a) = a * x^a e^-x / Gamma(a + 1).
  return Math.log(a) + lnPoissonPmf(a, x) + Math.log(h);
}

/**
 * ln Q(a, x) for shape a < 1, x < 1.1 and P >= 1/2: Q can be tiny there (Q ~ a E1(x) as
 * a -> 0), so 1 - P would cancel. Uses Q = [1 - x^a / Gamma(1 + a)] - x^a / Gamma(1 + a) a S
 * with S = sum_{j>=1} (-x)^j / (j! (a + j)), written as a * R so that a ~ 1e-300 stays finite.
 */
function lnUpperSmallShape(a: number, x: number): number {
  // g = lnGamma(1 + a) / a (-> -EulerGamma as a -> 0; avoids denormal a * g).
  const g = a < 1e-200 ? -EULER_GAMMA : lnGamma1p(a) / a;
  const u = Math.log(x) - g; // so x^a / Gamma(1 + a) = exp(a u)
  const au = a * u;
  // (1 - e^(a u)) / a, exact in the limit a u -> 0.
  const first = Math.abs(au) < 1e-8 ? -u * (1 + au / 2) : -Math.expm1(au) / a;
  let s = 0;
  let term = 1; // (-x)^j / j!
  for (let j = 1; j < 200; j++) {
    term *= -x / j;
    const next = s + term / (a + j);
    if (next === s) break;
    s = next;
  }
  const second = -Math.exp(au) * s;
  return Math.log(a) + Math.log(first + second);
}

/** ln Q(a, x) = ln P[Gamma(a, 1) >= x] for a > 0, x > 0, without argument checks. */
export function lnGammaTail(x: number, a: number): number {
  if (a < 1 && x < 1.1) {
    const lnLower = lnLowerByFraction(a, x);
    return lnLower < -Math.LN2 ? lnOneMinusExp(lnLower) : lnUpperSmallShape(a, x);
  }
  if (x < a + 1) return lnOneMinusExp(Math.min(lnLowerByFraction(a, x), 0));
  return lnUpperByFraction(a, x);
}

/**
 * log10 P[Gamma(shape, 1) >= x], the regularized upper incomplete gamma Q(shape, x): the
 * exact p-value of the Aaronson/Gumbel score sum_t -ln(1 - r_t), which is Gamma(N, 1) under
 * the null for N scored tokens.
 *
 * Below x = shape + 1 a continued fraction for the lower tail P, then log1p of the complement
 * (so a tail of 1 - 1e-50 keeps its -4.3e-51); above, Legendre's continued fraction for Q;
 * for shape < 1 and x < 1.1 a series for Q itself. The prefactor x^shape e^-x / Gamma(shape)
 * uses Loader's saddle-point form, so shape = x = 1e8 loses no digits. Measured <= 2e-14
 * relative against 120 50-digit references; never underflows (x = 1e9, shape = 1 gives
 * -434294481.9...). Cost: 0.2-1 us off the mean, O(sqrt(shape)) at x ~ shape (1 us at
 * 1e3, 5 us at 1e6, 25 us at 1e8).
 *
 * @param x - observed score, a finite number >= 0; x = 0 gives 0.
 * @param shape - the gamma shape (number of scored tokens), a finite number > 0.
 * @returns log10 of the tail probability, in (-Infinity, 0].
 * @throws RadiomarkError `INVALID_ARGUMENT` for NaN, infinite or negative x, or shape <= 0.
 * @example
 * ```ts
 * log10GammaTail(3, 1);     // -1.3028834457097553 (e^-3)
 * log10GammaTail(300, 200); // -9.472227945011403
 * ```
 */
export function log10GammaTail(x: number, shape: number): number {
  checkNonNegative('x', x);
  checkPositive('shape', shape);
  if (x === 0) return 0;
  const log10 = lnGammaTail(x, shape) * Math.LOG10E;
  return log10 === 0 ? 0 : log10; // +0 rather than the -0 of an underflowed complement
}
