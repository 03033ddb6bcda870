import { describe, expect, it } from 'vitest';
import { bonferroniLog10, holmLog10, sidakLog10 } from '../../src/stats/multiple-testing.js';
import { errorCode as code } from '../helpers/error-code.js';

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('bonferroniLog10', () => {
  it('adds log10 m and caps at 0', () => {
    expect(bonferroniLog10(-12, 1000)).toBe(-9);
    expect(bonferroniLog10(-1, 1000)).toBe(0);
    expect(bonferroniLog10(-5000, 1)).toBe(-5000);
    expect(bonferroniLog10(-Infinity, 10)).toBe(-Infinity);
  });
});

describe('sidakLog10', () => {
  it('matches 1 - (1 - p)^m where that is well conditioned', () => {
    for (const p of [0.5, 0.05, 0.01, 1e-3]) {
      for (const m of [1, 2, 10, 100]) {
        const expected = Math.log1p(-((1 - p) ** m)) * Math.LOG10E;
        expect(relErr(sidakLog10(Math.log10(p), m), expected), `p=${p} m=${m}`).toBeLessThan(1e-13);
      }
    }
  });

  it('is exact for m = 1 and accurate for p = 1e-300, m = 1e6', () => {
    for (const lp of [-0.1, -3, -40, -300, -5000]) {
      expect(relErr(sidakLog10(lp, 1), lp)).toBeLessThan(1e-14);
    }
    // 1 - (1 - p)^m = m p (1 - (m - 1) p / 2 + ...) = 1e-294 to double precision.
    expect(relErr(sidakLog10(-300, 1e6), -294)).toBeLessThan(1e-15);
    expect(relErr(sidakLog10(-5000, 1e9), -4991)).toBeLessThan(1e-15);
    // m p close to 1: 1 - (1 - 1e-10)^(1e10) = 1 - e^-1 (1 + O(1e-10)).
    expect(Math.abs(sidakLog10(-10, 1e10) - Math.log10(-Math.expm1(-1)))).toBeLessThan(1e-9);
  });

  it('is never above Bonferroni and never below the raw p-value', () => {
    for (const lp of [-0.01, -0.5, -2, -7.3, -20, -45, -300, -1e4]) {
      for (const m of [1, 2, 3, 17, 1000, 1e6, 1e12]) {
        const s = sidakLog10(lp, m);
        expect(s, `lp=${lp} m=${m}`).toBeLessThanOrEqual(bonferroniLog10(lp, m) + 1e-12);
        expect(s, `lp=${lp} m=${m}`).toBeGreaterThanOrEqual(lp - 1e-12);
        expect(s).toBeLessThanOrEqual(0);
      }
    }
  });

  it('gives 0 for p = 1 and -Infinity for p = 0', () => {
    expect(sidakLog10(0, 5)).toBe(0);
    expect(sidakLog10(-Infinity, 5)).toBe(-Infinity);
  });
});

describe('holmLog10', () => {
  it('reproduces a worked example (p = 0.01, 0.04, 0.03, 0.005)', () => {
    // Sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> max(0.06, 0.04).
    const adjusted = holmLog10([0.01, 0.04, 0.03, 0.005].map(Math.log10)).map((v) => 10 ** v);
    const expected = [0.03, 0.06, 0.06, 0.02];
    adjusted.forEach((v, i) => expect(relErr(v, expected[i]!)).toBeLessThan(1e-13));
  });

  it('is >= the raw p-values, <= Bonferroni, monotone in the raw order, capped at 0', () => {
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 50; trial++) {
      const m = 1 + Math.floor(next() * 40);
      const raw = Array.from({ length: m }, () => -next() * (next() < 0.2 ? 400 : 3));
      const adjusted = holmLog10(raw);
      expect(adjusted).toHaveLength(m);
      for (let i = 0; i < m; i++) {
        expect(adjusted[i]).toBeGreaterThanOrEqual(raw[i]!);
        expect(adjusted[i]).toBeLessThanOrEqual(bonferroniLog10(raw[i]!, m) + 1e-12);
        expect(adjusted[i]).toBeLessThanOrEqual(0);
        for (let j = 0; j < m; j++) {
          if (raw[i]! <= raw[j]!) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j]!);
        }
      }
    }
  });

  it('handles extreme and tied values and the empty family', () => {
    expect(holmLog10([])).toEqual([]);
    expect(holmLog10([-300, -300])).toEqual([-300 + Math.log10(2), -300 + Math.log10(2)]);
    expect(holmLog10([-Infinity, -2])).toEqual([-Infinity, -2]);
  });
});

describe('multiple-testing input checks', () => {
  const bad: [string, () => unknown][] = [
    ['positive log10p', () => bonferroniLog10(0.1, 2)],
    ['NaN log10p', () => sidakLog10(NaN, 2)],
    ['m = 0', () => bonferroniLog10(-1, 0)],
    ['fractional m', () => sidakLog10(-1, 2.5)],
    ['NaN m', () => sidakLog10(-1, NaN)],
    ['positive entry in holm', () => holmLog10([-1, 0.5])],
    ['NaN entry in holm', () => holmLog10([-1, NaN])],
    ['non-array holm', () => holmLog10('x' as unknown as number[])],
  ];
  for (const [label, f] of bad) {
    it(`throws INVALID_ARGUMENT for ${label}`, () => expect(code(f)).toBe('INVALID_ARGUMENT'));
  }
});
