import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/base/rng.js';
import { clopperPearson, log10BinomialSumTail, log10BinomialTail, log10GammaTail } from '../../src/stats/index.js';
import {
  BETTING_TILTS,
  bernoulliBettingLog10P,
  binomialSumBettingLog10P,
  exponentialBettingLog10P,
} from '../../src/stats/betting-martingale.js';

describe('betting-mixture p-values', () => {
  it('are never smaller than the exact tails they stand beside, and close to them for strong signals', () => {
    for (const [k, n] of [
      [300, 1000],
      [26_000, 100_000],
      [60, 100],
      [0, 50],
    ] as const) {
      const exact = log10BinomialTail(k, n, 0.25);
      const betting = bernoulliBettingLog10P(k, n, 0.25);
      expect(betting).toBeGreaterThanOrEqual(exact);
      if (exact < -10) expect(betting - exact).toBeLessThan(3);
    }
    expect(exponentialBettingLog10P(1300, 1000)).toBeGreaterThanOrEqual(log10GammaTail(1300, 1000));
    expect(binomialSumBettingLog10P(700, 1000, 0.25, 0.25)).toBeGreaterThanOrEqual(log10BinomialSumTail(700, 1000, 0.25, 1000, 0.25));
    expect(bernoulliBettingLog10P(0, 0, 0.25)).toBe(0);
    expect(BETTING_TILTS).toHaveLength(241);
  });

  it('stay valid when the analyst peeks and stops at the best moment (the exact tail does not)', () => {
    // Optional stopping is the worst case of "which units are scored depends on earlier ones".
    const rng = seededRandom(7);
    const sims = 400;
    const alpha = 0.01;
    let betting = 0;
    let peekingBinomial = 0;
    for (let s = 0; s < sims; s++) {
      let green = 0;
      let bettingHit = false;
      let binomialHit = false;
      for (let n = 1; n <= 2000; n++) {
        if (rng() < 0.25) green++;
        if (n % 50 !== 0) continue;
        bettingHit ||= bernoulliBettingLog10P(green, n, 0.25) <= Math.log10(alpha);
        binomialHit ||= log10BinomialTail(green, n, 0.25) <= Math.log10(alpha);
      }
      if (bettingHit) betting++;
      if (binomialHit) peekingBinomial++;
    }
    expect(clopperPearson(betting, sims, 0.999).lower).toBeLessThanOrEqual(alpha);
    expect(clopperPearson(peekingBinomial, sims, 0.999).lower).toBeGreaterThan(alpha);
  });
});
