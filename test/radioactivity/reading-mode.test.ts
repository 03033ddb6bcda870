import { describe, expect, it } from 'vitest';
import { GreenList } from '../../src/schemes/green-list.js';
import { generateKey } from '../../src/key/key.js';
import { addLogMgf, LAMBDA_GRID, mixtureLog10PValue } from '../../src/stats/chernoff-mixture.js';
import { ReadingModeTest } from '../../src/radioactivity/reading-mode.js';
import type { TopKPredictor } from '../../src/radioactivity/top-k.js';
import { clopperPearson } from '../../src/stats/index.js';
import { cleanText, rngOf, syntheticSuspect, watermarkedText } from '../helpers/synthetic-texts.js';

describe('reading mode: soft score bound', () => {
  it('is conservative under wrong keys (FPR <= alpha)', () => {
    const rng = rngOf(41);
    const suspect = syntheticSuspect();
    const trials = 120;
    let soft = 0;
    let argmax = 0;
    const alpha = 0.05;
    for (let t = 0; t < trials; t++) {
      const key = generateKey({ window: 2 });
      const test = new ReadingModeTest(suspect, [key], { alpha, topK: 16 });
      test.readText(cleanText(120, rng));
      const r = test.result();
      if (r.greenMass.radioactive) soft++;
      if (r.argmax.radioactive) argmax++;
    }
    expect(clopperPearson(soft, trials, 0.999).lower).toBeLessThanOrEqual(alpha);
    expect(clopperPearson(argmax, trials, 0.999).lower).toBeLessThanOrEqual(alpha);
  });

  it('is conservative with the TRUE key on watermarked texts and a clean suspect (adaptive reading)', () => {
    const rng = rngOf(42);
    const suspect = syntheticSuspect();
    const trials = 120;
    let rejected = 0;
    const zs: number[] = [];
    for (let t = 0; t < trials; t++) {
      const key = generateKey({ window: 1 });
      const test = new ReadingModeTest(suspect, [key], { alpha: 0.05, topK: 16 });
      test.readText(watermarkedText(key, 150, rng));
      const r = test.result().greenMass;
      zs.push(r.keys[0]!.z);
      if (r.radioactive) rejected++;
    }
    expect(clopperPearson(rejected, trials, 0.999).lower).toBeLessThanOrEqual(0.05);
    const mean = zs.reduce((a, b) => a + b, 0) / zs.length;
    expect(Math.abs(mean)).toBeLessThan(0.5); // centred: no bias from the text's own tokens
  });

  it('is more powerful than argmax on a radioactive suspect', () => {
    const rng = rngOf(43);
    const key = generateKey({ window: 2 });
    const controls = Array.from({ length: 30 }, () => generateKey({ window: 2 }));
    const suspect = syntheticSuspect({ key, tilt: 0.5 });
    const test = new ReadingModeTest(suspect, [key], { controls, topK: 32 });
    for (let i = 0; i < 4; i++) test.readText(watermarkedText(key, 200, rng));
    const { greenMass, argmax } = test.result();
    expect(greenMass.log10PValue).toBeLessThan(-3);
    expect(greenMass.log10PValue).toBeLessThan(argmax.log10PValue - 1);
    expect(greenMass.controls!.rejected).toBe(0);
    expect(greenMass.controls!.ks.pValue).toBeGreaterThan(1e-3);
  });

  it('mixture p-value is an upper bound of the exact tail for one Bernoulli term', () => {
    // One position, one token of probability 1: S is Bernoulli(gamma); P[S >= 1] = gamma.
    const psi = new Float64Array(LAMBDA_GRID.length);
    addLogMgf(psi, Float64Array.of(1), 1, 0.25);
    expect(mixtureLog10PValue(1, psi)).toBeGreaterThanOrEqual(Math.log10(0.25));
    expect(mixtureLog10PValue(0, psi)).toBe(0);
  });
});

describe('reading mode: first-occurrence de-duplication', () => {
  it('does not flag a clean suspect that copies its context', () => {
    const rng = rngOf(51);
    const key = generateKey({ window: 1 });
    // A copier: after window w it predicts (prob 0.9) the token that followed w last time.
    const copier: TopKPredictor = {
      vocabSize: 200_019,
      topK(context, _k, tokens, probs) {
        const w = context[context.length - 1]!;
        for (let i = context.length - 2; i >= 0; i--) {
          if (context[i] === w) {
            tokens[0] = context[i + 1]!;
            probs[0] = 0.9;
            return 1;
          }
        }
        tokens[0] = 0;
        probs[0] = 0.01;
        return 1;
      },
    };
    const texts = Array.from({ length: 10 }, () => watermarkedText(key, 300, rng));
    // Without de-duplication the copier's predictions at repeated windows are mostly green.
    const green = new GreenList(key);
    let hits = 0;
    let total = 0;
    for (const t of texts) {
      for (let i = 2; i < t.length; i++) {
        const n = copier.topK(t.subarray(0, i), 1, new Uint32Array(1), new Float64Array(1));
        const tk = new Uint32Array(1);
        const pr = new Float64Array(1);
        copier.topK(t.subarray(0, i), 1, tk, pr);
        if (n === 1 && pr[0] === 0.9) {
          total++;
          if (green.isGreen(t.subarray(0, i), tk[0]!)) hits++;
        }
      }
    }
    expect(hits / total).toBeGreaterThan(0.4); // vs gamma = 0.25: copying looks radioactive
    const test = new ReadingModeTest(copier, [key], { alpha: 1e-3 });
    texts.forEach((t) => test.readText(t));
    const r = test.result();
    expect(r.greenMass.log10PValue).toBeGreaterThan(-3);
    expect(r.argmax.log10PValue).toBeGreaterThan(-3);
    expect(test.repeats).toBeGreaterThan(1000);
  });

  it('rejects selfhash keys', () => {
    expect(() => new ReadingModeTest(syntheticSuspect(), [generateKey({ seeding: 'selfhash', window: 2 })])).toThrow(/selfhash/);
  });
});

describe('reading mode: prompt positions', () => {
  it('scores only positions from `from` on (a prompt is context, not watermarked text)', () => {
    const rng = rngOf(7);
    const key = generateKey({ window: 2 });
    const text = cleanText(200, rng);
    const whole = new ReadingModeTest(syntheticSuspect(), [key], { topK: 16 });
    whole.readText(text);
    const tail = new ReadingModeTest(syntheticSuspect(), [key], { topK: 16 });
    tail.readText(text, 150);
    const wholeScored = whole.result().greenMass.scored;
    const tailScored = tail.result().greenMass.scored;
    expect(tailScored).toBeGreaterThan(0);
    expect(tailScored).toBeLessThanOrEqual(50);
    expect(wholeScored).toBeGreaterThan(tailScored);
    expect(tail.result().greenMass.tokens).toBe(50);
  });
});
