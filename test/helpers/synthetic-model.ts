import type { LanguageModel } from '../../src/index.js';
import { seededRandom } from '../../src/base/rng.js';

/**
 * A seeded synthetic model: fresh Gaussian logits (standard deviation `spread`) at every
 * step, independent of the context. High entropy for small spreads.
 */
export function syntheticModel(vocabSize: number, seed: number, spread = 1): LanguageModel {
  const rng = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return {
    vocabSize,
    nextLogits(_context, out = new Float32Array(vocabSize)) {
      for (let i = 0; i < vocabSize; i++) out[i] = spread * gaussian();
      return out;
    },
  };
}
