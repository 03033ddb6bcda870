import { describe, expect, it } from 'vitest';
import { generateKey } from '../../src/key/key.js';
import { trainKneserNey } from '../../src/model/train-kneser-ney.js';
import { ExcessMass } from '../../src/radioactivity/excess-mass.js';
import { ReadingModeTest } from '../../src/radioactivity/reading-mode.js';
import { referenceFromModel, type ReferenceModel } from '../../src/radioactivity/reference-model.js';
import type { TopKPredictor } from '../../src/radioactivity/top-k.js';
import { clopperPearson } from '../../src/stats/index.js';
import { cleanText, rngOf, syntheticSuspect, V, watermarkedText } from '../helpers/synthetic-texts.js';

/** A reference model from a synthetic predictor's full distribution over the V synthetic tokens. */
function referenceOf(predictor: TopKPredictor): ReferenceModel {
  const tokens = new Uint32Array(V);
  const probs = new Float64Array(V);
  const cache = new Map<number, Float64Array>(); // by the last two tokens (all the synthetic models look at)
  return {
    vocabSize: predictor.vocabSize,
    probabilities(context, ids, count, out) {
      const id = (context[context.length - 2] ?? 0) * V + (context[context.length - 1] ?? 0);
      let p = cache.get(id);
      if (!p) {
        p = new Float64Array(V);
        const n = predictor.topK(context, V, tokens, probs);
        for (let i = 0; i < n; i++) p[tokens[i]!] = probs[i]!;
        cache.set(id, p);
      }
      for (let i = 0; i < count; i++) out[i] = ids[i]! < V ? p[ids[i]!]! : 0;
    },
  };
}

describe('excess mass over a reference model', () => {
  it('keeps max(0, q - r) of each kept token', () => {
    const reference: ReferenceModel = {
      vocabSize: 10,
      probabilities: (_context, tokens, count, out) => {
        for (let i = 0; i < count; i++) out[i] = tokens[i]! / 10;
      },
    };
    const out = new Float64Array(3);
    new ExcessMass(reference, 3).coefficients([1], Uint32Array.of(1, 5, 2), Float64Array.of(0.5, 0.3, 0.2), 3, out);
    expect(Array.from(out)).toEqual([0.4, 0, 0]);
  });

  it('is conservative with the TRUE key on watermarked texts, a clean suspect and an unrelated reference', () => {
    const rng = rngOf(61);
    const suspect = syntheticSuspect();
    const reference = referenceOf(syntheticSuspect({ salt: 3 })); // another clean model: q - r is mostly noise
    const trials = 80;
    let rejected = 0;
    const zs: number[] = [];
    for (let t = 0; t < trials; t++) {
      const key = generateKey({ window: 1 });
      const test = new ReadingModeTest(suspect, [key], { alpha: 0.05, topK: 16, reference });
      test.readText(watermarkedText(key, 150, rng));
      const r = test.result().greenMass;
      zs.push(r.keys[0]!.z);
      if (r.radioactive) rejected++;
    }
    expect(clopperPearson(rejected, trials, 0.999).lower).toBeLessThanOrEqual(0.05);
    const mean = zs.reduce((a, b) => a + b, 0) / zs.length;
    expect(Math.abs(mean)).toBeLessThan(0.5);
  });

  it('is more powerful than the plain green mass on a radioactive suspect, with calm wrong-key controls', () => {
    const rng = rngOf(62);
    const key = generateKey({ window: 2 });
    const controls = Array.from({ length: 30 }, () => generateKey({ window: 2 }));
    const suspect = syntheticSuspect({ key, tilt: 0.2 });
    const plain = new ReadingModeTest(suspect, [key], { controls, topK: 32 });
    const excess = new ReadingModeTest(suspect, [key], { controls, topK: 32, reference: referenceOf(syntheticSuspect()) });
    for (let i = 0; i < 4; i++) {
      const text = watermarkedText(key, 200, rng);
      plain.readText(text);
      excess.readText(text);
    }
    const p = plain.result().greenMass;
    const e = excess.result().greenMass;
    expect(e.log10PValue).toBeLessThan(-3);
    expect(e.log10PValue).toBeLessThan(p.log10PValue - 2);
    expect(e.controls!.rejected).toBe(0);
    expect(e.controls!.ks.pValue).toBeGreaterThan(1e-3);
    expect(e.notes.join(' ')).toMatch(/excess over the reference/);
  });

  it('refuses a reference with another vocabulary', () => {
    const reference: ReferenceModel = { vocabSize: 100, probabilities: () => undefined };
    expect(() => new ReadingModeTest(syntheticSuspect(), [generateKey()], { reference })).toThrow(/share the tokenizer/);
  });

  it('gives the same probabilities from a Kneser-Ney model and from its logits', () => {
    const rng = rngOf(63);
    const model = trainKneserNey([Array.from(cleanText(3000, rng))], { order: 3, vocabSize: 1000 });
    const direct = referenceFromModel(model);
    const viaLogits = referenceFromModel({ vocabSize: model.vocabSize, nextLogits: (c, out) => model.nextLogits(c, out) });
    const tokens = Uint32Array.of(0, 1, 5, 399, 999);
    const a = new Float64Array(5);
    const b = new Float64Array(5);
    const context = cleanText(4, rng);
    direct.probabilities(context, tokens, 5, a);
    viaLogits.probabilities(context, tokens, 5, b);
    for (let i = 0; i < 5; i++) expect(b[i]!).toBeCloseTo(a[i]!, 6);
    expect(a[0]!).toBeGreaterThan(0);
  });
});
