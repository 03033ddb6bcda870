import { describe, expect, it } from 'vitest';
import { isRadiomarkError } from '../../src/base/errors.js';
import { binomialZ } from '../../src/stats/z-score.js';

describe('binomialZ', () => {
  it('is (green - n p) / sqrt(n p (1 - p))', () => {
    expect(binomialZ(40, 100, 0.25)).toBeCloseTo(15 / Math.sqrt(18.75), 14);
    expect(binomialZ(25, 100, 0.25)).toBe(0);
    expect(binomialZ(0, 4, 0.5)).toBe(-2);
    expect(binomialZ(1e8, 1e8, 0.25)).toBeCloseTo(Math.sqrt(3e8), 6);
  });

  it('rejects bad arguments', () => {
    for (const f of [
      () => binomialZ(5, 0, 0.5),
      () => binomialZ(11, 10, 0.5),
      () => binomialZ(-1, 10, 0.5),
      () => binomialZ(5, 10, 0),
      () => binomialZ(5, 10, 1),
      () => binomialZ(5, 10.5, 0.5),
    ]) {
      let caught: unknown;
      try {
        f();
      } catch (e) {
        caught = e;
      }
      expect(isRadiomarkError(caught, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
