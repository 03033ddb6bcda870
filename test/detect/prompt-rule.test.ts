import { describe, expect, it } from 'vitest';
import { createWatermark, generateKey } from '../../src/index.js';

// The worked examples of docs/SPEC.md §14 (also checked by scripts/prf-reference.py --check).
describe('prompt exclusion as SPEC.md §14 states it', () => {
  const scoredOrSkipped = (window: number, prompt: number[], text: number[]) => {
    const wm = createWatermark(generateKey({ window, seeding: 'lefthash' }));
    const r = wm.detect(Uint32Array.from(text), { prompt: Uint32Array.from(prompt), details: true });
    return r.details!.map((d) => (d.status === 'prompt' ? 'prompt' : d.status === 'unscored' ? 'unscored' : 'scored'));
  };

  it('LeftHash h = 2: P = [5, 6, 7], T = [6, 7, 8, 5, 6]', () => {
    expect(scoredOrSkipped(2, [5, 6, 7], [6, 7, 8, 5, 6])).toEqual(['prompt', 'scored', 'prompt', 'scored', 'scored']);
  });

  it('LeftHash h = 0 with a non-empty prompt scores nothing', () => {
    expect(scoredOrSkipped(0, [1], [2, 3, 4])).toEqual(['prompt', 'prompt', 'prompt']);
  });
});
