import { describe, expect, it } from 'vitest';
import { checkAlpha, DEFAULT_ALPHA } from '../../src/stats/validate.js';
import { generateKey } from '../../src/key/key.js';
import { ClosedModeTest } from '../../src/radioactivity/closed-mode.js';
import { ReadingModeTest } from '../../src/radioactivity/reading-mode.js';
import { syntheticSuspect } from '../helpers/synthetic-texts.js';
import { createWatermark } from '../../src/watermark/watermark.js';
import { isRadiomarkError } from '../../src/base/errors.js';

const BAD_ALPHAS = [0, 1, -0.1, 1.5, NaN, '0.01' as unknown as number];

function invalidArgument(fn: () => unknown): boolean {
  try {
    fn();
  } catch (e) {
    return isRadiomarkError(e) && e.code === 'INVALID_ARGUMENT';
  }
  return false;
}

describe('checkAlpha', () => {
  it('accepts levels inside (0, 1) and rejects the rest with INVALID_ARGUMENT', () => {
    expect(checkAlpha(DEFAULT_ALPHA)).toBe(1e-6);
    expect(checkAlpha(0.05)).toBe(0.05);
    for (const alpha of BAD_ALPHAS)
      expect(
        invalidArgument(() => checkAlpha(alpha)),
        String(alpha),
      ).toBe(true);
  });

  it('guards every test class and function that takes alpha', () => {
    const key = generateKey();
    const predictor = syntheticSuspect();
    const wm = createWatermark(key);
    for (const alpha of BAD_ALPHAS) {
      expect(
        invalidArgument(() => new ClosedModeTest([key], { alpha })),
        `closed ${alpha}`,
      ).toBe(true);
      expect(
        invalidArgument(() => new ReadingModeTest(predictor, [key], { alpha })),
        `reading ${alpha}`,
      ).toBe(true);
      expect(
        invalidArgument(() => wm.detect([1, 2, 3, 4, 5], { alpha })),
        `detect ${alpha}`,
      ).toBe(true);
    }
    // The same calls with a valid level go through: the rejections above are about alpha.
    expect(new ClosedModeTest([key], { alpha: 0.01 }).result().alpha).toBe(0.01);
    expect(() => new ReadingModeTest(predictor, [key], { alpha: 0.01 })).not.toThrow();
    expect(wm.detect([1, 2, 3, 4, 5], { alpha: 0.01 }).alpha).toBe(0.01);
  });
});
