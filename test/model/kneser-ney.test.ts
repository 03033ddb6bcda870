import { describe, expect, it } from 'vitest';
import { isRadiomarkError } from '../../src/base/errors.js';
import { countNgrams } from '../../src/model/ngram-counts.js';
import { perplexity } from '../../src/model/perplexity.js';
import { trainKneserNey } from '../../src/model/train-kneser-ney.js';
import { naiveKneserNey } from '../helpers/naive-kneser-ney.js';

const V = 50; // ids 40..49 never occur in training: they must still get probability

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Documents from a sparse second-order Markov chain over 40 tokens, plus 5% noise. */
function markovDocs(seed: number, docs: number, length: number): number[][] {
  const rand = mulberry32(seed);
  const next = (a: number, b: number, r: number): number => {
    const h = Math.imul(a * 40 + b + 1, 0x9e3779b1) >>> 0;
    return r < 0.6 ? h % 40 : r < 0.9 ? (h >>> 8) % 40 : (h >>> 16) % 40;
  };
  const out: number[][] = [];
  for (let d = 0; d < docs; d++) {
    const doc = [Math.floor(rand() * 40)];
    for (let i = 1; i < length; i++) {
      const noise = rand() < 0.05;
      doc.push(noise ? Math.floor(rand() * 40) : next(doc[i - 2] ?? 0, doc[i - 1]!, rand()));
    }
    out.push(doc);
  }
  return out;
}

const docs = markovDocs(7, 40, 200);

function contexts(seed: number, count: number): number[][] {
  const rand = mulberry32(seed);
  const out: number[][] = [[]];
  for (let i = 0; i < count; i++) {
    const d = docs[Math.floor(rand() * docs.length)]!;
    const end = 1 + Math.floor(rand() * (d.length - 1));
    const ctx = d.slice(Math.max(0, end - Math.floor(rand() * 6)), end);
    if (rand() < 0.2) ctx[Math.floor(rand() * ctx.length)] = 40 + Math.floor(rand() * 10); // unseen token
    out.push(ctx);
  }
  return out;
}

describe('trainKneserNey', () => {
  for (const order of [1, 2, 3, 4, 5]) {
    it(`matches a naive modified Kneser-Ney implementation at order ${order}`, () => {
      const model = trainKneserNey(
        docs.map((d) => Uint32Array.from(d)),
        { order, vocabSize: V },
      );
      const naive = naiveKneserNey(docs, order, V);
      for (const ctx of contexts(order, 40)) {
        let sum = 0;
        for (let w = 0; w < V; w++) {
          const p = model.probability(ctx, w);
          expect(p).toBeGreaterThan(0);
          expect(Math.abs(p - naive.probability(ctx, w))).toBeLessThan(1e-6 * Math.max(p, 1e-3));
          sum += p;
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-6);
      }
    });

    it(`gives nextLogits equal to log p + a constant at order ${order}`, () => {
      const model = trainKneserNey(docs, { order, vocabSize: V });
      const out = new Float32Array(V);
      for (const ctx of contexts(100 + order, 40)) {
        expect(model.nextLogits(ctx, out)).toBe(out);
        const shift = out[0]! - model.logProb(ctx, 0);
        let z = 0;
        for (let w = 0; w < V; w++) {
          expect(Math.abs(out[w]! - model.logProb(ctx, w) - shift)).toBeLessThan(1e-5);
          z += Math.exp(out[w]!);
        }
        for (let w = 0; w < V; w++) {
          const softmax = Math.exp(out[w]!) / z;
          expect(Math.abs(softmax - model.probability(ctx, w))).toBeLessThan(1e-6);
        }
      }
    });
  }

  it('samples exactly from the distribution with sampleNext', () => {
    const model = trainKneserNey(docs, { order: 3, vocabSize: V });
    const random = mulberry32(5);
    const draws = 100_000;
    for (const ctx of [[], [docs[0]![0]!], docs[1]!.slice(10, 12), [45, 46]]) {
      const freq = new Float64Array(V);
      for (let i = 0; i < draws; i++) freq[model.sampleNext(ctx, random)]!++;
      for (let w = 0; w < V; w++) {
        const p = model.probability(ctx, w);
        const sd = Math.sqrt((p * (1 - p)) / draws);
        expect(Math.abs(freq[w]! / draws - p), `token ${w} after [${ctx}]`).toBeLessThan(5 * sd + 1e-4);
      }
    }
    expect(() => model.sampleNext([1], () => 1)).toThrow(/\[0, 1\)/);
  });

  it('only looks at the last order - 1 tokens of a long context', () => {
    const model = trainKneserNey(docs, { order: 3, vocabSize: V });
    const long = docs[3]!.slice(0, 60);
    expect(model.probability(long, 7)).toBe(model.probability(long.slice(-2), 7));
    expect(Array.from(model.nextLogits(long))).toEqual(Array.from(model.nextLogits(long.slice(-2))));
  });

  it('lowers held-out perplexity with the order on Markov data', () => {
    const train = docs.map((d) => Uint32Array.from(d));
    const test = markovDocs(99, 10, 150).map((d) => Uint32Array.from(d));
    const ppl = [1, 2, 3].map((order) => perplexity(trainKneserNey(train, { order, vocabSize: V }), test));
    expect(ppl[1]).toBeLessThan(ppl[0]!);
    expect(ppl[2]).toBeLessThan(ppl[1]!);
  });

  it('is the uniform distribution when trained on nothing', () => {
    const model = trainKneserNey([], { order: 3, vocabSize: 10 });
    expect(model.probability([1, 2], 3)).toBeCloseTo(0.1, 12);
    expect(Array.from(model.nextLogits([1, 2]))).toEqual(new Array(10).fill(Math.fround(Math.log(0.1))));
  });

  it('never counts n-grams across documents', () => {
    const levels = countNgrams([Uint32Array.of(1, 2), Uint32Array.of(3, 4)], 2, 5);
    // Bigram contexts: 1 and 3 only (2 -> 3 spans two documents).
    expect(Array.from(levels[1]!.key)).toEqual([1, 3]);
    expect(Array.from(levels[1]!.succWord)).toEqual([2, 4]);
  });

  it('rejects bad arguments with typed errors', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return isRadiomarkError(e) ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => trainKneserNey(docs, { order: 6, vocabSize: V }))).toBe('INVALID_ARGUMENT');
    expect(code(() => trainKneserNey([[1, 50]], { order: 2, vocabSize: V }))).toBe('INVALID_ARGUMENT');
    expect(code(() => trainKneserNey([[1, -1]], { order: 2, vocabSize: V }))).toBe('INVALID_ARGUMENT');
    const model = trainKneserNey(docs, { order: 2, vocabSize: V });
    expect(code(() => model.nextLogits([1], new Float32Array(V - 1)))).toBe('INVALID_ARGUMENT');
    expect(code(() => model.probability([1], V))).toBe('INVALID_ARGUMENT');
    expect(code(() => perplexity(model, [[]]))).toBe('EMPTY_INPUT');
  });
});
