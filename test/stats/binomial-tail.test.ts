import { describe, expect, it } from 'vitest';
import { log10BinomialTail } from '../../src/stats/binomial-tail.js';
import { logBinomialPmf } from '../../src/stats/binomial-pmf.js';
import { errorCode } from '../helpers/error-code.js';

/** log10 of a positive bigint to ~1e-16 relative (leading 17 digits plus the digit count). */
function bigLog10(x: bigint): number {
  const s = x.toString();
  const head = Number(s.slice(0, 17));
  return Math.log10(head) + (s.length - Math.min(17, s.length));
}

/**
 * Exact log10 P[Binomial(n, a / 2^bits) >= k] by rational arithmetic: the upper tail is
 * sum_j C(n, j) a^j (2^bits - a)^(n - j) / 2^(bits n). When it is above 1/2 the (exact) lower
 * tail is used with log1p, as the answer then lies close to 0.
 */
function exactLog10Tail(k: number, n: number, a: bigint, bits: bigint): number {
  const one = 1n << bits;
  const b = one - a;
  let upper = 0n;
  let choose = 1n;
  for (let j = 0; j <= n; j++) {
    if (j > 0) choose = (choose * BigInt(n - j + 1)) / BigInt(j);
    if (j >= k) upper += choose * a ** BigInt(j) * b ** BigInt(n - j);
  }
  const total = one ** BigInt(n);
  if (2n * upper > total) {
    const lower = total - upper; // exact
    if (lower === 0n) return 0;
    const ratio = 10 ** (bigLog10(lower) - bigLog10(total));
    return Math.log1p(-ratio) * Math.LOG10E;
  }
  return bigLog10(upper) - bigLog10(total);
}

describe('log10BinomialTail: exact values', () => {
  it('agrees with exact rational sums for every k, n <= 120, dyadic p', () => {
    // Dyadic p are exact doubles, so the rational sum is the exact answer for the same input.
    const ps: [bigint, bigint][] = [
      [1n, 3n],
      [1n, 2n],
      [5n, 4n],
      [1n, 1n],
      [3n, 2n],
      [15n, 4n],
    ];
    let compared = 0;
    for (const n of [1, 2, 3, 7, 20, 50, 120]) {
      for (const [a, bits] of ps) {
        const p = Number(a) / 2 ** Number(bits);
        for (let k = 0; k <= n; k++) {
          const exact = exactLog10Tail(k, n, a, bits);
          const got = log10BinomialTail(k, n, p);
          const err = Math.abs(got - exact) / Math.max(Math.abs(exact), 1e-300);
          compared++;
          expect(err, `k=${k} n=${n} p=${p}: got ${got}, exact ${exact}`).toBeLessThan(1e-12);
        }
      }
    }
    expect(compared).toBe(6 * (2 + 3 + 4 + 8 + 21 + 51 + 121));
  });

  it('k = 0 gives exactly 0 and k = n gives n log10 p', () => {
    expect(log10BinomialTail(0, 0, 0.3)).toBe(0);
    expect(log10BinomialTail(0, 1e8, 0.3)).toBe(0);
    // A complement below 1e-308 underflows to +0 (Object.is), not -0.
    expect(log10BinomialTail(1, 1e8, 1 - 2 ** -53)).toBe(0);
    for (const [n, p] of [
      [1, 0.25],
      [17, 0.5],
      [1e6, 0.05],
      [123457, 0.75],
    ] as [number, number][]) {
      const expected = n * Math.log10(p);
      const err = Math.abs(log10BinomialTail(n, n, p) - expected);
      expect(err).toBeLessThanOrEqual(1e-14 * Math.abs(expected));
    }
  });

  it('keeps tiny complements: P[X >= 1] = 1 - (1 - p)^n', () => {
    // log10(1 - 0.5^150) = -0.5^150 / ln 10 = -3.0429e-46; a naive log10(1 - tiny) gives 0.
    const expected = -(0.5 ** 150) * Math.LOG10E;
    expect(Math.abs(log10BinomialTail(1, 150, 0.5) / expected - 1)).toBeLessThan(1e-13);
    // 1 - 1e-40-ish: P[X >= 1] for n = 66, p = 0.75 has complement 0.25^66 = 1.8e-40.
    const c = 0.25 ** 66;
    expect(Math.abs(log10BinomialTail(1, 66, 0.75) / (-c * Math.LOG10E) - 1)).toBeLessThan(1e-13);
  });
});

describe('log10BinomialTail: finiteness and extremes', () => {
  it('never underflows: k = n = 1e7 and 1e8', () => {
    expect(log10BinomialTail(1e7, 1e7, 0.25)).toBeCloseTo(-6020599.913279624, 6);
    expect(log10BinomialTail(1e8, 1e8, 0.25)).toBeCloseTo(-60205999.13279624, 5);
    expect(log10BinomialTail(1e8, 1e8, 0.5)).toBeCloseTo(-30102999.56639812, 5);
  });

  it('is finite and <= 0 across extreme p, k and n, including n = 2^53 - 1', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const cases: [number, number, number][] = [
      [big, big, 0.5],
      [1, big, 1e-300],
      [1, 1e8, 1e-300],
      [2, 1e8, 5e-324],
      [1, 1, 5e-324],
      [1e8, 1e8, 1 - 2 ** -53],
      [5e7, 1e8, 1e-9],
      [3, 1e8, 0.999999999],
      [1e8 - 1, 1e8, 2 ** -53],
    ];
    for (const [k, n, p] of cases) {
      const v = log10BinomialTail(k, n, p);
      expect(Number.isNaN(v), `k=${k} n=${n} p=${p}`).toBe(false);
      expect(v, `k=${k} n=${n} p=${p}`).toBeGreaterThan(-Infinity);
      expect(v, `k=${k} n=${n} p=${p}`).toBeLessThanOrEqual(0);
    }
    // Spot values from closed forms: P[X >= 1] ~ n p and P[X = n] = p^n.
    expect(log10BinomialTail(1, 1e8, 1e-300)).toBeCloseTo(-292, 10);
    expect(log10BinomialTail(1, 1, 5e-324)).toBeCloseTo(Math.log10(5e-324), 10);
  });

  it('is monotone: non-increasing in k, non-decreasing in p', () => {
    for (const [n, p] of [
      [1000, 0.25],
      [333, 0.05],
      [4096, 0.9],
    ] as const) {
      let previous = 0;
      for (let k = 0; k <= n; k++) {
        const v = log10BinomialTail(k, n, p);
        expect(v, `k=${k} n=${n} p=${p}`).toBeLessThanOrEqual(previous);
        if (previous < -1e-290) expect(v, `strict at k=${k}`).toBeLessThan(previous);
        previous = v;
      }
    }
    const n = 1e6;
    let previous = 0;
    for (let k = 240000; k <= 260000; k += 97) {
      const v = log10BinomialTail(k, n, 0.25);
      expect(v).toBeLessThan(previous);
      previous = v;
    }
    let last = -Infinity;
    for (let p = 0.01; p < 1; p += 0.01) {
      const v = log10BinomialTail(300, 1000, p);
      expect(v).toBeGreaterThanOrEqual(last);
      last = v;
    }
  });

  it('sums the point masses it is built from: tail(k) - tail(k+1) = pmf(k)', () => {
    for (const [k, n, p] of [
      [26, 64, 0.25],
      [250100, 1e6, 0.25],
      [37509186, 5e7, 0.75],
    ] as [number, number, number][]) {
      const a = 10 ** log10BinomialTail(k, n, p);
      const b = 10 ** log10BinomialTail(k + 1, n, p);
      const pmf = Math.exp(logBinomialPmf(k, n, p));
      expect(Math.abs(a - b - pmf) / pmf).toBeLessThan(1e-9);
    }
  });

  it('stays fast: 100 calls at the mean with n = 1e8 take well under a second', () => {
    const start = performance.now();
    for (let i = 0; i < 100; i++) log10BinomialTail(25_000_000 + i, 100_000_000, 0.25);
    expect(performance.now() - start).toBeLessThan(1000); // ~2 ms measured
  });
});

describe('log10BinomialTail: invalid input', () => {
  const bad: [string, () => unknown][] = [
    ['NaN k', () => log10BinomialTail(NaN, 10, 0.5)],
    ['NaN n', () => log10BinomialTail(1, NaN, 0.5)],
    ['NaN p', () => log10BinomialTail(1, 10, NaN)],
    ['negative k', () => log10BinomialTail(-1, 10, 0.5)],
    ['negative n', () => log10BinomialTail(0, -1, 0.5)],
    ['fractional k', () => log10BinomialTail(2.5, 10, 0.5)],
    ['fractional n', () => log10BinomialTail(2, 10.5, 0.5)],
    ['infinite n', () => log10BinomialTail(2, Infinity, 0.5)],
    ['unsafe n', () => log10BinomialTail(2, 2 ** 53, 0.5)],
    ['k > n', () => log10BinomialTail(11, 10, 0.5)],
    ['p = 0', () => log10BinomialTail(1, 10, 0)],
    ['p = 1', () => log10BinomialTail(1, 10, 1)],
    ['p < 0', () => log10BinomialTail(1, 10, -0.1)],
    ['p > 1', () => log10BinomialTail(1, 10, 1.5)],
    ['string k', () => log10BinomialTail('3' as unknown as number, 10, 0.5)],
  ];
  for (const [label, f] of bad) {
    it(`throws INVALID_ARGUMENT for ${label}`, () => {
      expect(errorCode(f)).toBe('INVALID_ARGUMENT');
    });
  }

  it('names the argument and value in the message', () => {
    expect(() => log10BinomialTail(11, 10, 0.5)).toThrow(/k must be <= n.*k = 11, n = 10/);
    expect(() => log10BinomialTail(1, 10, 1)).toThrow(/p must be .* got 1/);
  });
});
