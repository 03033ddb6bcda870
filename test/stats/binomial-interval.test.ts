import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../src/stats/binomial-interval.js';
import { log10BinomialTail } from '../../src/stats/binomial-tail.js';
import { errorCode as code } from '../helpers/error-code.js';

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('clopperPearson', () => {
  it('matches known intervals (mpmath, 50 digits, bisection on the incomplete beta)', () => {
    const cases: [number, number, number, number, number][] = [
      [0, 10, 0.95, 0, 0.30849710781876076],
      [5, 10, 0.95, 0.18708602844739857, 0.81291397155260143],
      [1, 10, 0.95, 0.0025285785444617868, 0.44501611702819536],
      [10, 10, 0.95, 0.69150289218123924, 1],
      [3, 1000, 0.99, 0.00033814452906649337, 0.010933777420405241],
      [50, 1000, 0.95, 0.03733539760466177, 0.065390487915493645],
      [999, 1000, 0.95, 0.99444107572017333, 0.99997468251250871],
      // Tiny bounds keep full precision (SciPy 1.17's beta.isf is off by 1e-9 on this upper).
      [1, 1e8, 0.95, 2.5317807981084918e-10, 5.5716432635810668e-8],
    ];
    for (const [x, n, c, lo, hi] of cases) {
      const { lower, upper } = clopperPearson(x, n, c);
      expect(relErr(lower, lo), `lower ${x}/${n}`).toBeLessThan(1e-13);
      expect(relErr(upper, hi), `upper ${x}/${n}`).toBeLessThan(1e-13);
      // Rounded outwards: never inside the exact interval by more than rounding.
      expect(lower).toBeLessThanOrEqual(lo * (1 + 1e-15));
      expect(upper).toBeGreaterThanOrEqual(hi * (1 - 1e-15));
    }
  });

  it('puts alpha/2 in each tail: P[X >= x; lower] = P[X <= x; upper] = alpha/2', () => {
    for (const [x, n] of [
      [7, 40],
      [250, 1000],
      [3, 100000],
      [123456, 1000000],
    ] as [number, number][]) {
      const { lower, upper } = clopperPearson(x, n, 0.9);
      expect(Math.abs(log10BinomialTail(x, n, lower) - Math.log10(0.05))).toBeLessThan(1e-9);
      // P[X <= x; p] = P[n - X >= n - x; 1 - p].
      const lowerTail = log10BinomialTail(n - x, n, 1 - upper);
      expect(Math.abs(lowerTail - Math.log10(0.05))).toBeLessThan(1e-9);
      expect(lower).toBeLessThan(x / n);
      expect(upper).toBeGreaterThan(x / n);
    }
  });

  it('defaults to 95%, narrows with lower confidence and more trials', () => {
    expect(clopperPearson(5, 10)).toEqual(clopperPearson(5, 10, 0.95));
    const wide = clopperPearson(20, 100, 0.99);
    const narrow = clopperPearson(20, 100, 0.8);
    expect(narrow.lower).toBeGreaterThan(wide.lower);
    expect(narrow.upper).toBeLessThan(wide.upper);
    const more = clopperPearson(200, 1000, 0.99);
    expect(more.upper - more.lower).toBeLessThan(wide.upper - wide.lower);
    expect(clopperPearson(0, 0)).toEqual({ lower: 0, upper: 1 });
  });

  it('rejects bad arguments', () => {
    expect(code(() => clopperPearson(11, 10))).toBe('INVALID_ARGUMENT');
    expect(code(() => clopperPearson(-1, 10))).toBe('INVALID_ARGUMENT');
    expect(code(() => clopperPearson(1.5, 10))).toBe('INVALID_ARGUMENT');
    expect(code(() => clopperPearson(1, 10, 1))).toBe('INVALID_ARGUMENT');
    expect(code(() => clopperPearson(1, 10, 0))).toBe('INVALID_ARGUMENT');
    expect(code(() => clopperPearson(1, 10, NaN))).toBe('INVALID_ARGUMENT');
  });
});
