import { describe, expect, it } from 'vitest';
import { ClosedModeTest, createWatermark, generateKey, generateTokens, isRadiomarkError, ReadingModeTest } from '../../src/index.js';
import { summarizeControls } from '../../src/radioactivity/report.js';
import { syntheticModel } from '../helpers/synthetic-model.js';

const V = 1000;

async function completions(count: number, wm: ReturnType<typeof createWatermark> | null, seed: number): Promise<Uint32Array[]> {
  const out: Uint32Array[] = [];
  for (let i = 0; i < count; i++) {
    const ids: number[] = [];
    for await (const id of generateTokens(syntheticModel(V, seed + i, 2), [i % 50, 7], { maxTokens: 100, watermark: wm, rng: seed + i }))
      ids.push(id);
    out.push(Uint32Array.from(ids));
  }
  return out;
}

describe.each(['gumbel', 'synthid'] as const)('closed-mode radioactivity with %s keys', (scheme) => {
  it('flags outputs that carry the watermark and keeps wrong-key controls null', async () => {
    const key = generateKey({ scheme, window: 2 });
    const wrong = Array.from({ length: 20 }, () => generateKey({ scheme, window: 2 }));
    const marked = await completions(10, createWatermark(key, { vocabSize: V }), 1);
    const test = new ClosedModeTest([key], { controls: wrong, alpha: 1e-6 });
    for (const c of marked) test.readCompletion(c, [0, 7]);
    const report = test.result();
    expect(report.radioactive).toBe(true);
    expect(report.statistic).toBe(scheme === 'gumbel' ? 'gamma' : 'g-values');
    expect(report.controls!.rejected).toBe(0);
  });

  it('keeps the exact null on clean outputs (FPR at 0.05 over 200 keys within its 99% range)', async () => {
    const clean = await completions(5, null, 100);
    let rejections = 0;
    for (let k = 0; k < 200; k++) {
      const test = new ClosedModeTest([generateKey({ scheme, window: 2 })], { alpha: 0.05 });
      for (const c of clean) test.readCompletion(c, [0, 7]);
      if (test.result().radioactive) rejections++;
    }
    // Binomial(200, <= 0.05): the 99.5% quantile is 19.
    expect(rejections).toBeLessThanOrEqual(19);
  });
});

it('reading mode refuses distortion-free keys with UNSUPPORTED', () => {
  let error: unknown;
  try {
    const predictor = { vocabSize: V, topK: () => 0 };
    new ReadingModeTest(predictor as never, [generateKey({ scheme: 'gumbel' })]);
  } catch (e) {
    error = e;
  }
  expect(isRadiomarkError(error, 'UNSUPPORTED')).toBe(true);
});

it("skips the controls' KS test, saying why, when their values are all identical (nothing scored)", () => {
  const controls = summarizeControls([0, 0, 0, 0, 0], [0.5, 0.5, 0.5, 0.5, 0.5], 0.01, 'normal-approximation')!;
  expect(controls.ks.skipped).toMatch(/nothing scored/);
  expect(Number.isNaN(controls.ks.pValue)).toBe(true);
  expect(summarizeControls([0, -1], [0.3, 0.8], 0.01, 'randomized-binomial')!.ks.skipped).toBeUndefined();
});

it('refuses a filter with minhash or selfhash keys, whose one-token seed inputs would tie the filter to the colours', () => {
  for (const seeding of ['minhash', 'selfhash'] as const) {
    let error: unknown;
    try {
      new ClosedModeTest([generateKey({ seeding, window: 2 })], { filter: { window: 2, hasWindow: () => true } });
    } catch (e) {
      error = e;
    }
    expect(isRadiomarkError(error, 'UNSUPPORTED')).toBe(true);
  }
});
