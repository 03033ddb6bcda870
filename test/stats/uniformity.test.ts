import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { kolmogorovSmirnovPValue } from '../../src/stats/kolmogorov-distribution.js';
import { ksUniformTest } from '../../src/stats/uniformity.js';
import { errorCode as code } from '../helpers/error-code.js';

function uniformSample(seed: string, n: number): number[] {
  const rng = seedrandom(seed);
  return Array.from({ length: n }, () => rng());
}

describe('kolmogorovSmirnovPValue', () => {
  it("reproduces Marsaglia-Tsang-Wang's example: P(D_10 < 0.274) = 0.6284796154565043", () => {
    const cdf = 1 - kolmogorovSmirnovPValue(0.274, 10);
    expect(Math.abs(cdf - 0.6284796154565043)).toBeLessThan(1e-14);
  });

  it('matches the exact law where SciPy 1.17 (kstwo.sf) computes it exactly', () => {
    // n <= 140 (Durbin matrix / Pomeranz / 2 x Smirnov), and the tails 2 x Smirnov for n > 140.
    const cases: [number, number, number][] = [
      [1, 0.3, 1.0],
      [1, 0.75, 0.5],
      [2, 0.3, 0.98],
      [5, 0.2, 0.9616],
      [5, 0.45, 0.19399374999999963],
      [20, 0.1, 0.976255094592155],
      [50, 0.15, 0.19026366518248072],
      [100, 0.08, 0.5182193645480672],
      [100, 0.21, 0.00023947345214651332],
      [140, 0.05, 0.8576480297656114],
      [140, 0.2, 2.1981563302200222e-5],
      [1000, 0.05, 0.013012074781090332],
      [1e6, 0.002, 0.0006700277103670718],
    ];
    for (const [n, d, ref] of cases) {
      const got = kolmogorovSmirnovPValue(d, n);
      expect(Math.abs(got - ref) / ref, `n=${n} d=${d}: got ${got}, ref ${ref}`).toBeLessThan(1e-9);
    }
  });

  it('is within 5e-5 of SciPy where SciPy uses its Pelz-Good approximation', () => {
    const cases: [number, number, number][] = [
      [300, 0.03, 0.9424664972633843],
      [1000, 0.02, 0.8108971656895577],
      [5000, 0.015, 0.20846142096186204],
      [1e4, 0.01, 0.2682191277029192],
      [1e6, 0.001, 0.26982107442589376],
    ];
    for (const [n, d, ref] of cases) {
      expect(Math.abs(kolmogorovSmirnovPValue(d, n) - ref), `n=${n} d=${d}`).toBeLessThan(5e-5);
    }
  });

  it('handles the ends of the range exactly', () => {
    expect(kolmogorovSmirnovPValue(0, 7)).toBe(1);
    expect(kolmogorovSmirnovPValue(1 / 14, 7)).toBe(1); // D_n >= 1/(2n) always
    expect(kolmogorovSmirnovPValue(1, 7)).toBe(0);
    // d >= 1/2: P = 2 P(D+ >= d); for d > 1 - 1/n that is 2 (1 - d)^n.
    expect(Math.abs(kolmogorovSmirnovPValue(0.9, 5) / (2 * 0.1 ** 5) - 1)).toBeLessThan(1e-12);
  });

  it('rejects bad arguments', () => {
    expect(code(() => kolmogorovSmirnovPValue(-0.1, 5))).toBe('INVALID_ARGUMENT');
    expect(code(() => kolmogorovSmirnovPValue(1.1, 5))).toBe('INVALID_ARGUMENT');
    expect(code(() => kolmogorovSmirnovPValue(0.1, 0))).toBe('INVALID_ARGUMENT');
    expect(code(() => kolmogorovSmirnovPValue(0.1, 2.5))).toBe('INVALID_ARGUMENT');
  });
});

describe('ksUniformTest', () => {
  it('computes D_n = max(i/n - u_(i), u_(i) - (i-1)/n)', () => {
    const r = ksUniformTest([0.9, 0.1, 0.7, 0.4]);
    expect(r.n).toBe(4);
    expect(r.statistic).toBeCloseTo(0.2, 15);
    expect(ksUniformTest([0.5]).statistic).toBe(0.5);
    expect(ksUniformTest([0.5]).pValue).toBe(1);
    expect(ksUniformTest([0]).statistic).toBe(1);
    expect(ksUniformTest([0]).pValue).toBe(0);
  });

  it('does not reject seeded uniform samples, from n = 5 to n = 200000', () => {
    // Each check passes with probability 0.9999 under H0 (the seeds are fixed, so the test is
    // deterministic; 'c-40' happens to give p = 6.2e-4, agreeing with SciPy's kstest).
    for (const n of [5, 40, 141, 1000, 5000, 200_000]) {
      for (const seed of ['a', 'b', 'c']) {
        const r = ksUniformTest(uniformSample(`${seed}-${n}`, n));
        expect(r.pValue, `n=${n} seed=${seed}`).toBeGreaterThan(1e-4);
        expect(r.log10PValue).toBeCloseTo(Math.log10(r.pValue), 12);
      }
    }
  });

  it('rejects obviously non-uniform samples', () => {
    const u = uniformSample('skew', 5000);
    expect(ksUniformTest(u.map((x) => x ** 1.3)).pValue).toBeLessThan(1e-10);
    expect(ksUniformTest(u.map((x) => 0.1 + 0.8 * x)).pValue).toBeLessThan(1e-30);
    expect(ksUniformTest(uniformSample('half', 50).map((x) => x / 2)).pValue).toBeLessThan(1e-6);
    // Tail far below 1e-308 stays finite in log10.
    const r = ksUniformTest(uniformSample('tiny', 100_000).map((x) => x / 2));
    expect(r.pValue).toBe(0);
    expect(r.log10PValue).toBeLessThan(-1000);
    expect(Number.isFinite(r.log10PValue)).toBe(true);
  });

  it('gives calibrated p-values: under H0 its own p-values look uniform', () => {
    // 300 tests at n = 30 (exact law) and 200 at n = 2000 (limit law, body), each of fresh
    // uniform data; their p-values are then tested for uniformity.
    for (const [n, reps] of [
      [30, 300],
      [2000, 200],
    ] as const) {
      const pValues = Array.from({ length: reps }, (_, i) => ksUniformTest(uniformSample(`cal-${n}-${i}`, n)).pValue);
      expect(ksUniformTest(pValues).pValue, `n=${n}`).toBeGreaterThan(0.001);
    }
  });

  it('rejects bad input', () => {
    expect(code(() => ksUniformTest([]))).toBe('INVALID_ARGUMENT');
    expect(code(() => ksUniformTest([0.2, 1.5]))).toBe('INVALID_ARGUMENT');
    expect(code(() => ksUniformTest([0.2, NaN]))).toBe('INVALID_ARGUMENT');
    expect(code(() => ksUniformTest([0.2, -0.1]))).toBe('INVALID_ARGUMENT');
    expect(code(() => ksUniformTest(['0.5' as unknown as number]))).toBe('INVALID_ARGUMENT');
    expect(code(() => ksUniformTest('abc' as unknown as number[]))).toBe('INVALID_ARGUMENT');
  });
});
