import { describe, expect, it } from 'vitest';
import { createWatermark, generateKey, generateTokens, isRadiomarkError } from '../../src/index.js';
import { syntheticModel } from '../helpers/synthetic-model.js';

const V = 1000;

describe.each(['gumbel', 'synthid'] as const)('%s sampling', (scheme) => {
  it('is detected at p < 1e-6 in 200 tokens of a high-entropy model, and not without the watermark', async () => {
    let detected = 0;
    let falsePositives = 0;
    for (let trial = 0; trial < 20; trial++) {
      const wm = createWatermark(generateKey({ scheme, window: 2 }), { vocabSize: V });
      const marked: number[] = [];
      const plain: number[] = [];
      for await (const id of generateTokens(syntheticModel(V, trial, 2), [1, 2], { maxTokens: 200, watermark: wm, rng: trial }))
        marked.push(id);
      for await (const id of generateTokens(syntheticModel(V, trial + 99, 2), [1, 2], { maxTokens: 200, rng: trial })) plain.push(id);
      if (wm.detect(marked).log10PValue < -6) detected++;
      if (wm.detect(plain).watermarked) falsePositives++;
    }
    expect(detected).toBeGreaterThanOrEqual(19);
    expect(falsePositives).toBe(0);
  }, 120_000);

  it('does not repeat itself when a window recurs, and refuses to bias logits', async () => {
    const wm = createWatermark(generateKey({ scheme, window: 1 }), { vocabSize: 50 });
    const flat = { vocabSize: 50, nextLogits: (_c: ArrayLike<number>, out = new Float32Array(50)) => out.fill(0) };
    const ids: number[] = [];
    for await (const id of generateTokens(flat, [3], { maxTokens: 300, watermark: wm, rng: 1 })) ids.push(id);
    // With deterministic choices per window, a loop would leave only a handful of distinct tokens.
    expect(new Set(ids).size).toBeGreaterThan(30);
    let error: unknown;
    try {
      wm.bias([1], new Float32Array(50));
    } catch (e) {
      error = e;
    }
    expect(isRadiomarkError(error, 'UNSUPPORTED')).toBe(true);
  });
});

describe('gumbel null', () => {
  it('gives exact Gamma-tail p-values: FPR at 0.01 over 2,000 keys within its 99% interval', async () => {
    const ids: number[] = [];
    for await (const id of generateTokens(syntheticModel(V, 5, 1), [1, 2], { maxTokens: 150, rng: 5 })) ids.push(id);
    let rejections = 0;
    for (let i = 0; i < 2000; i++) {
      if (createWatermark(generateKey({ scheme: 'gumbel' }), { vocabSize: V }).detect(ids, { alpha: 0.01 }).watermarked) rejections++;
    }
    // Continuous statistic: the size is exactly 0.01; 99% binomial range for 2,000 trials is about 9..33.
    expect(rejections).toBeGreaterThanOrEqual(7);
    expect(rejections).toBeLessThanOrEqual(35);
  });
});
