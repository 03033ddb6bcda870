import { generateTokens, type LanguageModel, type Watermark } from '../../src/index.js';

/** Logits of the small fixed distribution the sampler tests draw from. */
export const FIXED_LOGITS = Float32Array.from([0.3, -1, 2, 0, 0.5, -0.2, 1, 0.1]);

/**
 * A model with the same logits at every step and an exact `sampleNext` (inverse CDF), so that
 * generation takes the rejection fast path; `logitsOnly` is the same model without it.
 */
export function fixedLogitsModel(base = FIXED_LOGITS): { model: LanguageModel; logitsOnly: LanguageModel } {
  const n = base.length;
  const z = base.reduce((s, x) => s + Math.exp(x), 0);
  const cdf = Array.from(base, (x) => Math.exp(x) / z).map((_, i, a) => a.slice(0, i + 1).reduce((s, p) => s + p, 0));
  const nextLogits = (_c: ArrayLike<number>, out = new Float32Array(n)) => (out.set(base), out);
  const sampleNext = (_c: ArrayLike<number>, random: () => number) => {
    const u = random();
    const i = cdf.findIndex((c) => u < c);
    return i < 0 ? n - 1 : i;
  };
  return { model: { vocabSize: n, nextLogits, sampleNext }, logitsOnly: { vocabSize: n, nextLogits } };
}

/** Pearson's chi-square of `draws` tokens generated with `watermark` against softmax(`target`). */
export async function generationChiSquare(
  model: LanguageModel,
  watermark: Watermark,
  target: ArrayLike<number>,
  draws: number,
): Promise<number> {
  const counts = new Array<number>(target.length).fill(0);
  for await (const id of generateTokens(model, [], { maxTokens: draws, watermark, rng: 3 })) counts[id]!++;
  const z = Array.from(target).reduce((s, x) => s + Math.exp(x), 0);
  return counts.reduce((s, c, v) => {
    const expected = (draws * Math.exp(target[v]!)) / z;
    return s + (c - expected) ** 2 / expected;
  }, 0);
}
