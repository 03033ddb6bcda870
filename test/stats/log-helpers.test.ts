import { describe, expect, it } from 'vitest';
import { logBinomialPmf } from '../../src/stats/binomial-pmf.js';
import { deviance } from '../../src/stats/deviance.js';
import { logGamma, logGamma1p } from '../../src/stats/log-gamma.js';
import { logAddExp, logSumExp } from '../../src/stats/log-sum-exp.js';
import { log1mExp } from '../../src/stats/log1m-exp.js';
import { logPoissonPmf } from '../../src/stats/poisson-pmf.js';
import { stirlingError } from '../../src/stats/stirling-error.js';
import { errorCode as code } from '../helpers/error-code.js';

const relErr = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

// ln Gamma(x) from mpmath at 40 digits, rounded to 17.
const LOG_GAMMA: [number, number][] = [
  [1e-300, 690.77552789821371],
  [1e-20, 46.051701859880914],
  [1e-8, 18.420680738180209],
  [0.001, 6.9071788853838537],
  [0.1, 2.2527126517342059],
  [0.3, 1.0957979948180756],
  [0.5, 0.57236494292470009],
  [0.9, 0.066376239734742954],
  [0.999999, 5.7721648738556524e-7],
  [1, 0],
  [1.000001, -5.7721484238741467e-7],
  [1.3, -0.10817480950786048],
  [1.5, -0.12078223763524522],
  [1.7, -0.095807697407065874],
  [1.999999, -4.2278401259658537e-7],
  [2, 0],
  [2.000001, 4.2278465762452924e-7],
  [2.4, 0.21685932244884157],
  [2.6, 0.35741186354897984],
  [3.5, 1.2009736023470742],
  [7.25, 7.0521854507385394],
  [9.999, 12.799575780077414],
  [10, 12.80182748008147],
  [10.5, 13.940625219403764],
  [33.3, 82.603723581654943],
  [150, 600.00947055532743],
  [1e4, 82099.717496442377],
  [1234567.89, 16081761.142416907],
  [1e8, 1742068066.1038347],
  [1e15, 33538776394910669],
  [1e300, 6.8977552789821374e302],
];

describe('logGamma / logGamma1p', () => {
  it('match mpmath to 1e-15 relative, including near the zeros at 1 and 2', () => {
    for (const [x, ref] of LOG_GAMMA) {
      expect(relErr(logGamma(x), ref), `x=${x}`).toBeLessThan(1e-15);
    }
  });

  it('logGamma1p is accurate for tiny arguments', () => {
    const cases: [number, number][] = [
      [-0.9, 2.2527126517342062],
      [-0.5, 0.57236494292470009],
      [-1e-10, 5.7721566498377958e-11],
      [1e-12, -5.7721566490071038e-13],
      [0.25, -0.098271836421813161],
      [0.5, -0.12078223763524522],
      [0.75, -0.084401121020485556],
      [1.4, 0.21685932244884157],
      [3, 1.791759469228055],
      [1e-300, -0.57721566490153286e-300],
    ];
    for (const [x, ref] of cases) expect(relErr(logGamma1p(x), ref), `x=${x}`).toBeLessThan(1e-15);
  });

  it('satisfy lnGamma(x + 1) = lnGamma(x) + ln x across 24 orders of magnitude', () => {
    for (let e = -10; e <= 14; e += 0.01) {
      const x = 10 ** e;
      const lhs = logGamma(x + 1);
      const err = Math.abs(lhs - logGamma(x) - Math.log(x)) / Math.max(1, Math.abs(lhs));
      expect(err, `x=${x}`).toBeLessThan(4e-15);
    }
  });

  it('reject x <= 0 (and x <= -1 for logGamma1p)', () => {
    expect(code(() => logGamma(0))).toBe('INVALID_ARGUMENT');
    expect(code(() => logGamma(-2.5))).toBe('INVALID_ARGUMENT');
    expect(code(() => logGamma(NaN))).toBe('INVALID_ARGUMENT');
    expect(code(() => logGamma1p(-1))).toBe('INVALID_ARGUMENT');
  });
});

describe('stirlingError and deviance', () => {
  it('stirlingError matches its definition where that is well conditioned', () => {
    for (const x of [0.25, 1, 2.5, 7, 15, 16.5, 40, 1e3, 1e6]) {
      const direct = logGamma(x + 1) - (x + 0.5) * Math.log(x) + x - 0.5 * Math.log(2 * Math.PI);
      // The direct difference loses ~1e-16 of its largest term, (x + 1/2) ln x.
      const tolerance = 1e-15 * Math.max(1, (x + 0.5) * Math.abs(Math.log(x)) + x);
      expect(Math.abs(stirlingError(x) - direct), `x=${x}`).toBeLessThan(tolerance);
    }
    expect(relErr(stirlingError(1e10), 1 / 12e10)).toBeLessThan(1e-15);
  });

  it('deviance is exact near x = m where the naive formula cancels', () => {
    // x ln(x/m) + m - x = m [(1+e) ln(1+e) - e] = m (e^2/2 - e^3/6 + e^4/12 - ...), e = x/m - 1.
    const m = 1e8;
    const e = 1e-4;
    const series = m * (e ** 2 / 2 - e ** 3 / 6 + e ** 4 / 12 - e ** 5 / 20);
    expect(relErr(deviance(m * (1 + e), m), series)).toBeLessThan(1e-14);
    expect(deviance(5, 5)).toBe(0);
    expect(deviance(0, 3)).toBe(3);
    expect(relErr(deviance(10, 1), 10 * Math.log(10) - 9)).toBeLessThan(1e-15);
  });
});

describe('log-space pmfs', () => {
  it('logBinomialPmf sums to 1 and matches direct products for small n', () => {
    for (const [n, p] of [
      [10, 0.25],
      [57, 0.5],
      [200, 0.05],
    ] as const) {
      let total = 0;
      for (let k = 0; k <= n; k++) {
        let lnChoose = 0;
        for (let j = 1; j <= k; j++) lnChoose += Math.log((n - k + j) / j);
        const direct = lnChoose + k * Math.log(p) + (n - k) * Math.log1p(-p);
        const got = logBinomialPmf(k, n, p);
        const tolerance = 1e-12 * Math.max(1, Math.abs(direct));
        expect(Math.abs(got - direct), `k=${k} n=${n}`).toBeLessThan(tolerance);
        total += Math.exp(got);
      }
      expect(Math.abs(total - 1)).toBeLessThan(1e-13);
    }
  });

  it('logPoissonPmf matches lambda^x e^-lambda / x!', () => {
    for (const [x, lambda] of [
      [0, 3],
      [2, 3],
      [9, 9.5],
      [10, 9.5],
      [40, 31.2],
    ] as [number, number][]) {
      let lnFactorial = 0;
      for (let j = 2; j <= x; j++) lnFactorial += Math.log(j);
      const direct = x * Math.log(lambda) - lambda - lnFactorial;
      expect(relErr(logPoissonPmf(x, lambda), direct), `x=${x}`).toBeLessThan(1e-14);
    }
    // Saddle point: x = lambda = 1e8 gives about -ln sqrt(2 pi 1e8) - 1/(12e8).
    const saddle = -0.5 * Math.log(2 * Math.PI * 1e8) - 1 / 12e8;
    expect(relErr(logPoissonPmf(1e8, 1e8), saddle)).toBeLessThan(1e-15);
  });
});

describe('log1mExp, logAddExp, logSumExp', () => {
  it('log1mExp is accurate on both sides of -ln 2', () => {
    expect(relErr(log1mExp(-1e-20), Math.log(1e-20))).toBeLessThan(1e-15);
    expect(relErr(log1mExp(-100), -Math.exp(-100))).toBeLessThan(1e-15);
    expect(relErr(log1mExp(-Math.LN2), -Math.LN2)).toBeLessThan(1e-15);
    expect(log1mExp(-Infinity) === 0).toBe(true); // ln 1, possibly -0
    expect(log1mExp(0)).toBe(-Infinity);
    expect(code(() => log1mExp(0.1))).toBe('INVALID_ARGUMENT');
  });

  it('logAddExp and logSumExp neither overflow nor underflow', () => {
    expect(relErr(logAddExp(-1000, -1000), -1000 + Math.LN2)).toBeLessThan(1e-15);
    expect(relErr(logAddExp(800, 0), 800)).toBeLessThan(1e-15);
    expect(logAddExp(-Infinity, -Infinity)).toBe(-Infinity);
    expect(relErr(logSumExp([-2000, -2000, -2000]), -2000 + Math.log(3))).toBeLessThan(1e-15);
    expect(relErr(logSumExp([710, 710]), 710 + Math.LN2)).toBeLessThan(1e-15);
    expect(logSumExp([])).toBe(-Infinity);
    expect(code(() => logSumExp([1, NaN]))).toBe('INVALID_ARGUMENT');
    expect(code(() => logAddExp(NaN, 1))).toBe('INVALID_ARGUMENT');
  });
});
