// Shared by the adapter tests: a fixed key (reproducible green lists), seeded Gaussian logits
// standing in for a model, and the detection thresholds the tests assert.
import { resolveParams, WatermarkKey, type WatermarkParams } from '../../src/core.js';
import { seededRandom, type RandomSource } from '../../src/base/rng.js';

/** Significance the watermarked streams must reach. */
export const ALPHA = 1e-6;

/** A key with a fixed secret, so every run sees the same green lists. */
export function fixedKey(params: Partial<WatermarkParams> = {}, byte = 7): WatermarkKey {
  return new WatermarkKey(new Uint8Array(32).fill(byte), resolveParams({ window: 2, ...params }));
}

/**
 * A weightless "model": fresh N(0, spread²) logits at every step (high entropy, so the
 * watermark has room to act), with `padding` trailing entries as padded output layers have.
 */
export function gaussianLogits(vocabSize: number, seed: number, spread = 1.5, padding = 0): (out?: Float32Array) => Float32Array {
  const rng = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return (out = new Float32Array(vocabSize + padding)) => {
    for (let i = 0; i < vocabSize; i++) out[i] = spread * gaussian();
    // Padding rows of real models are never meant to be sampled.
    out.fill(-Infinity, vocabSize);
    return out;
  };
}

/** Multinomial draw from softmax(logits), as an engine's sampler does at temperature 1. */
export function softmaxSample(logits: ArrayLike<number>, rng: RandomSource): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += Math.exp(logits[i]! - max);
  let u = rng() * total;
  let last = 0;
  for (let i = 0; i < logits.length; i++) {
    const w = Math.exp(logits[i]! - max);
    if (w === 0) continue;
    last = i;
    u -= w;
    if (u <= 0) return i;
  }
  return last; // rounding left a sliver: the last token with weight
}
