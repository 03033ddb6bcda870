import { GreenList } from '../../src/schemes/green-list.js';
import type { WatermarkKey } from '../../src/key/key.js';
import { seededRandom, type RandomSource } from '../../src/base/rng.js';
import type { TopKPredictor } from '../../src/radioactivity/top-k.js';

/** Small synthetic vocabulary: token ids 0..V-1 (all valid o200k ids). */
export const V = 400;

/** Text independent of every key: iid tokens from a skewed distribution over V ids. */
export function cleanText(length: number, rng: RandomSource): Uint32Array {
  const out = new Uint32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(V * rng() ** 2);
  return out;
}

/** KGW-watermarked text: the same skewed draws, a red draw kept with probability e^-delta. */
export function watermarkedText(key: WatermarkKey, length: number, rng: RandomSource, delta = 2, prefix?: ArrayLike<number>): Uint32Array {
  const green = new GreenList(key);
  const h = key.params.window;
  const out: number[] = prefix ? Array.from(prefix) : Array.from(cleanText(h, rng));
  const start = out.length;
  while (out.length < start + length) {
    for (;;) {
      const t = Math.floor(V * rng() ** 2);
      if (green.isGreen(out, t) || rng() < Math.exp(-delta)) {
        out.push(t);
        break;
      }
    }
  }
  return Uint32Array.from(out.slice(start));
}

/** Deterministic pseudo-random weights in (0, 1] of (context tail, token), independent of keys. */
function weight(a: number, b: number, v: number, salt: number): number {
  let x = Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 7, 0x85ebca6b) ^ Math.imul(v + salt, 0xc2b2ae35);
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d);
  x ^= x >>> 12;
  return ((x >>> 0) + 1) / 2 ** 32;
}

/**
 * A suspect over V tokens: q(v | last two tokens) proportional to w(v)^4 (peaked, key
 * independent), optionally tilted by e^tilt on the green tokens of `key` (a radioactive suspect).
 */
export function syntheticSuspect(options: { tilt?: number; key?: WatermarkKey; salt?: number } = {}): TopKPredictor {
  const { tilt = 0, key, salt = 0 } = options;
  const green = key ? new GreenList(key) : undefined;
  const p = new Float64Array(V);
  const idx = new Uint32Array(V);
  return {
    vocabSize: 200_019,
    topK(context, k, tokens, probs) {
      const a = context[context.length - 2] ?? 0;
      const b = context[context.length - 1] ?? 0;
      let z = 0;
      for (let v = 0; v < V; v++) {
        p[v] = weight(a, b, v, salt) ** 6 * (green && tilt !== 0 && green.isGreen(context, v) ? Math.exp(tilt) : 1);
        z += p[v]!;
        idx[v] = v;
      }
      const order = Array.from(idx).sort((x, y) => p[y]! - p[x]!);
      const n = Math.min(k, V);
      for (let i = 0; i < n; i++) {
        tokens[i] = order[i]!;
        probs[i] = p[order[i]!]! / z;
      }
      return n;
    },
  };
}

/** A seeded RNG per test. */
export const rngOf = (seed: number): RandomSource => seededRandom(seed);
