import { describe, expect, it } from 'vitest';
import { log10GammaTail } from '../../src/stats/gamma-tail.js';
import { errorCode } from '../helpers/error-code.js';

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('log10GammaTail: closed forms', () => {
  // A log-space result carries a relative error of about |ln p| * 2^-53 once exponentiated
  // (e.g. 7e-14 for p = 1e-300), so the bounds below allow a few 1e-13.
  it('shape 1 is the exponential tail: log10 e^-x = -x log10 e', () => {
    for (const x of [1e-300, 1e-12, 0.001, 0.5, 1, 1.0999, 1.1, 2, 2.0001, 30, 745, 1e4, 1e9]) {
      expect(relErr(log10GammaTail(x, 1), -x * Math.LOG10E), `x=${x}`).toBeLessThan(1e-13);
    }
  });

  it('integer shape is a Poisson cdf: Q(s, x) = e^-x sum_{j<s} x^j / j!', () => {
    // x >= s keeps Q <= ~0.6, where this reference formula itself does not cancel.
    for (const s of [2, 3, 5, 12]) {
      for (const x of [s, s + 0.5, 1.5 * s, 2 * s + 1, 5 * s, 60]) {
        let term = 1;
        let sum = 1;
        for (let j = 1; j < s; j++) {
          term *= x / j;
          sum += term;
        }
        const expected = (Math.log(sum) - x) * Math.LOG10E;
        expect(relErr(log10GammaTail(x, s), expected), `s=${s} x=${x}`).toBeLessThan(2e-13);
      }
    }
  });

  it('x = 0 gives exactly 0', () => {
    expect(log10GammaTail(0, 1)).toBe(0);
    expect(log10GammaTail(0, 1e8)).toBe(0);
    expect(log10GammaTail(1e7, 1e8)).toBe(0); // complement underflows: +0, not -0
  });
});

describe('log10GammaTail: finiteness and extremes', () => {
  it('never underflows, e.g. x = 1e9, shape = 1', () => {
    expect(log10GammaTail(1e9, 1)).toBeCloseTo(-434294481.9032518, 5);
    expect(log10GammaTail(1e9, 1e8)).toBeLessThan(-1e8);
  });

  it('is finite and <= 0 for extreme shapes and scores', () => {
    const cases: [number, number][] = [
      [1e-320, 1],
      [1e308, 1],
      [1.7e308, 1e300],
      [1, 1e-300],
      [1.05, 5e-324],
      [5, 5e-324],
      [1e-300, 1e-300],
      [1e8, 1e8],
      [1, 1e8],
      [1e7, 1e8],
      [1e-10, 0.5],
    ];
    for (const [x, shape] of cases) {
      const v = log10GammaTail(x, shape);
      expect(Number.isNaN(v), `x=${x} shape=${shape}`).toBe(false);
      expect(v, `x=${x} shape=${shape}`).toBeGreaterThan(-Infinity);
      expect(v, `x=${x} shape=${shape}`).toBeLessThanOrEqual(0);
    }
    // Tiny shape: Q(a, x) = a E1(x) (1 + O(a)), E1(1) = 0.21938393439552027 (mpmath).
    const expected = -300 + Math.log10(0.21938393439552027);
    expect(relErr(log10GammaTail(1, 1e-300), expected)).toBeLessThan(1e-14);
  });

  it('keeps tiny complements: Q(200, 40) = 1 - 1.736e-72', () => {
    // mpmath, 60 digits: P(200, 40) = 1.7360753266338747e-72, so log10 Q = -P / ln 10.
    expect(relErr(log10GammaTail(40, 200), -7.539679345254773e-73)).toBeLessThan(1e-12);
  });

  it('is non-increasing in x and non-decreasing in shape', () => {
    for (const shape of [0.3, 1, 7.5, 1000, 1e6]) {
      let previous = 0;
      for (let i = 1; i <= 400; i++) {
        const x = (i / 200) * shape + 1e-3 * i;
        const v = log10GammaTail(x, shape);
        expect(v, `x=${x} shape=${shape}`).toBeLessThanOrEqual(previous);
        previous = v;
      }
    }
    let last = -Infinity;
    for (let shape = 0.05; shape < 30; shape += 0.05) {
      const v = log10GammaTail(10, shape);
      expect(v, `shape=${shape}`).toBeGreaterThanOrEqual(last);
      last = v;
    }
  });

  it('stays fast: 100 calls at x = shape = 1e8 take well under a second', () => {
    const start = performance.now();
    for (let i = 0; i < 100; i++) log10GammaTail(1e8 + i, 1e8);
    expect(performance.now() - start).toBeLessThan(1000); // ~3 ms measured
  });
});

describe('log10GammaTail: invalid input', () => {
  const bad: [string, () => unknown][] = [
    ['NaN x', () => log10GammaTail(NaN, 1)],
    ['NaN shape', () => log10GammaTail(1, NaN)],
    ['negative x', () => log10GammaTail(-1, 1)],
    ['infinite x', () => log10GammaTail(Infinity, 1)],
    ['shape 0', () => log10GammaTail(1, 0)],
    ['negative shape', () => log10GammaTail(1, -2)],
    ['infinite shape', () => log10GammaTail(1, Infinity)],
  ];
  for (const [label, f] of bad) {
    it(`throws INVALID_ARGUMENT for ${label}`, () => {
      expect(errorCode(f)).toBe('INVALID_ARGUMENT');
    });
  }
});
