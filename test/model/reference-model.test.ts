import { beforeAll, describe, expect, it } from 'vitest';
import type { KneserNeyModel } from '../../src/model/kneser-ney-model.js';
import { perplexity } from '../../src/model/perplexity.js';
import { trainKneserNey } from '../../src/model/train-kneser-ney.js';
import { corpusTokenStreams } from '../../src/node/corpora.js';

// A subset keeps this fast: the addresses and Moby-Dick (~2M training tokens).
const corpora = ['sotu', 'moby-dick'] as const;
const V = 200_019;

describe('reference model on real English', () => {
  let heldOut: Uint32Array[];
  let models: Map<number, KneserNeyModel>;
  beforeAll(() => {
    const train = corpusTokenStreams({ corpora });
    heldOut = corpusTokenStreams({ corpora, split: 'heldout' });
    models = new Map([1, 2, 4].map((order) => [order, trainKneserNey(train, { order, vocabSize: V })]));
  });

  it('has a held-out perplexity that falls clearly with the order', () => {
    const ppl = new Map([...models].map(([order, m]) => [order, perplexity(m, heldOut)]));
    console.log(`held-out perplexity: ${[...ppl].map(([o, p]) => `order ${o} ${p.toFixed(1)}`).join(', ')}`);
    expect(ppl.get(2)!).toBeLessThan(0.4 * ppl.get(1)!);
    expect(ppl.get(4)!).toBeLessThan(0.85 * ppl.get(2)!);
  });

  it('gives a normalised distribution over all 200,019 tokens that nextLogits matches', () => {
    const model = models.get(4)!;
    const out = new Float32Array(V);
    const doc = heldOut[0]!;
    for (let i = 0; i < 12; i++) {
      const end = 1 + ((i * 7919) % (doc.length - 1));
      const ctx = doc.subarray(Math.max(0, end - 3), end);
      model.nextLogits(ctx, out);
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, out[v]!);
      let z = 0;
      for (let v = 0; v < V; v++) z += Math.exp(out[v]! - max);
      let sum = 0;
      let worst = 0;
      for (let v = 0; v < V; v++) {
        const p = model.probability(ctx, v);
        sum += p;
        worst = Math.max(worst, Math.abs(Math.exp(out[v]! - max) / z - p) / p);
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
      expect(worst).toBeLessThan(1e-5); // Float32 logits: relative error ~1e-6
    }
  });

  it('samples the likeliest next token as often as its probability says', () => {
    const model = models.get(4)!;
    const ctx = heldOut[0]!.subarray(20, 23);
    const logits = model.nextLogits(ctx);
    const top = logits.reduce((best, x, i) => (x > logits[best]! ? i : best), 0);
    let seed = 1;
    const random = (): number => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const draws = 20_000;
    let hits = 0;
    for (let i = 0; i < draws; i++) {
      const id = model.sampleNext(ctx, random);
      expect(id >= 0 && id < V).toBe(true);
      if (id === top) hits++;
    }
    const p = model.probability(ctx, top);
    expect(Math.abs(hits / draws - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / draws));
  });
});
