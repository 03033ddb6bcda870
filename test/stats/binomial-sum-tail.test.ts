import { describe, expect, it } from 'vitest';
import { log10BinomialTail } from '../../src/index.js';
import { log10BinomialSumTail } from '../../src/stats/index.js';
import { errorCode } from '../helpers/error-code.js';

function pmf(n: number, p: number): number[] {
  let row = [1];
  for (let i = 0; i < n; i++) row = Array.from({ length: row.length + 1 }, (_, k) => (row[k] ?? 0) * (1 - p) + (row[k - 1] ?? 0) * p);
  return row;
}

describe('log10BinomialSumTail', () => {
  it('equals brute-force convolution for unequal probabilities', () => {
    for (const [n1, p1, n2, p2] of [
      [40, 0.2, 60, 0.3],
      [200, 0.25, 50, 0.05],
      [7, 0.9, 300, 0.5],
    ] as const) {
      const a = pmf(n1, p1);
      const b = pmf(n2, p2);
      for (let s = 1; s <= n1 + n2; s += 7) {
        let tail = 0;
        for (let x = 0; x <= n1; x++) for (let y = Math.max(0, s - x); y <= n2; y++) tail += a[x]! * b[y]!;
        if (tail < 1e-290) continue;
        expect(log10BinomialSumTail(s, n1, p1, n2, p2)).toBeCloseTo(Math.log10(tail), 9);
      }
    }
  });

  it('is one binomial tail when the probabilities are equal, and handles the edges', () => {
    expect(log10BinomialSumTail(900, 1000, 0.25, 2000, 0.25)).toBe(log10BinomialTail(900, 3000, 0.25));
    expect(log10BinomialSumTail(0, 10, 0.2, 10, 0.3)).toBe(0);
    expect(log10BinomialSumTail(21, 10, 0.2, 10, 0.3)).toBe(-Infinity);
    expect(log10BinomialSumTail(20, 10, 0.2, 10, 0.3)).toBeCloseTo(10 * Math.log10(0.2) + 10 * Math.log10(0.3), 10);
    expect(errorCode(() => log10BinomialSumTail(3, -1, 0.2, 10, 0.3))).toBe('INVALID_ARGUMENT');
  });
});
