import { describe, expect, it } from 'vitest';
import { createWatermark, generateKey, generateTokens, isRadiomarkError, ksUniformTest, log10BinomialTail } from '../../src/index.js';
import { clopperPearson } from '../../src/stats/index.js';
import { seededRandom } from '../../src/base/rng.js';
import { humanParagraphs } from '../helpers/human-text.js';
import { syntheticModel } from '../helpers/synthetic-model.js';
import { fixedKey } from '../helpers/fixed-key.js';
import { FIXED_LOGITS, fixedLogitsModel, generationChiSquare } from '../helpers/fixed-logits-model.js';

const V = 1000;

async function generate(seed: number, tokens: number, wm: ReturnType<typeof createWatermark> | null): Promise<number[]> {
  const ids: number[] = [];
  const prompt = [1, 2, 3, 4];
  for await (const id of generateTokens(syntheticModel(V, seed), prompt, { maxTokens: tokens, watermark: wm, rng: seed })) ids.push(id);
  return ids;
}

describe('bias', () => {
  it('adds delta to exactly the green tokens, in place', () => {
    const wm = createWatermark(generateKey({ window: 2 }), { vocabSize: V });
    const logits = Float32Array.from({ length: V }, (_, i) => Math.sin(i));
    const before = logits.slice();
    const ctx = [7, 9];
    expect(wm.bias(ctx, logits)).toBe(logits);
    let green = 0;
    for (let v = 0; v < V; v++) {
      const isGreen = wm.isGreen(ctx, v);
      green += isGreen ? 1 : 0;
      expect(logits[v]).toBe(Math.fround(before[v]! + (isGreen ? 2 : 0)));
    }
    expect(green).toBeGreaterThan(180);
    expect(green).toBeLessThan(320);
  });

  it('gives every seeding scheme the same biasing semantics', () => {
    for (const seeding of ['lefthash', 'minhash', 'selfhash'] as const) {
      const wm = createWatermark(generateKey({ seeding, window: 3 }), { vocabSize: V });
      const logits = new Float32Array(V);
      const ctx = [5, 6, 7, 8];
      wm.bias(ctx, logits);
      for (let v = 0; v < V; v++) expect(logits[v]).toBe(wm.isGreen(ctx, v) ? 2 : 0);
    }
  });

  it('leaves -Infinity and NaN as they are, and short contexts unbiased', () => {
    const wm = createWatermark(generateKey({ window: 2 }), { vocabSize: V });
    const logits = new Float32Array(V).fill(-Infinity);
    logits[3] = NaN;
    wm.bias([1, 2], logits);
    expect(logits.every((x, i) => (i === 3 ? Number.isNaN(x) : x === -Infinity))).toBe(true);
    const zero = new Float32Array(V);
    wm.bias([1], zero);
    expect(zero.every((x) => x === 0)).toBe(true);
  });

  it('rejects logits of the wrong vocabulary size with VOCAB_MISMATCH', () => {
    const wm = createWatermark(generateKey());
    expect(() => wm.bias([1, 2], new Float32Array(50_272))).toThrowError(expect.objectContaining({ code: 'VOCAB_MISMATCH' }));
    expect(() => wm.sample([1, 2], new Float32Array(10))).toThrowError(/200019 tokens/);
  });
});

describe('sample', () => {
  it('is reproducible with a seed and does not modify the logits', () => {
    const wm = createWatermark(generateKey(), { vocabSize: V });
    const logits = Float32Array.from({ length: V }, (_, i) => Math.cos(i));
    const copy = logits.slice();
    const a = wm.sample([1, 2], logits, { rng: 5, temperature: 0.8, topK: 40 });
    expect(wm.sample([1, 2], logits, { rng: 5, temperature: 0.8, topK: 40 })).toBe(a);
    expect(logits).toEqual(copy);
  });

  it('samples from softmax(logits + delta * green) exactly (chi-square over 40,000 draws)', () => {
    const n = 8;
    const wm = createWatermark(generateKey({ window: 1 }), { vocabSize: n });
    const logits = Float32Array.from([0.3, -1, 2, 0, 0.5, -0.2, 1, 0.1]);
    const biased = logits.map((x, v) => x + (wm.isGreen([3], v) ? 2 : 0));
    const z = biased.reduce((s, x) => s + Math.exp(x), 0);
    const counts = new Array(n).fill(0);
    const rng = seededRandom(11);
    const draws = 40_000;
    for (let i = 0; i < draws; i++) counts[wm.sample([3], logits, { rng })]++;
    const chi2 = counts.reduce((s, c, v) => {
      const e = (draws * Math.exp(biased[v]!)) / z;
      return s + (c - e) ** 2 / e;
    }, 0);
    expect(chi2).toBeLessThan(24.3); // 0.999 quantile of chi-square with 7 degrees of freedom
  });
});

describe("the fast exact sampler (rejection from the model's own sampler)", () => {
  it('draws from the same distribution as biasing all logits (chi-square over 40,000 tokens)', async () => {
    const { model, logitsOnly } = fixedLogitsModel();
    // A fixed key and seed make this a deterministic check (a fresh key would fail 0.1% of runs by design).
    const wm = createWatermark(fixedKey(3, { window: 0 }), { vocabSize: FIXED_LOGITS.length });
    const biased = FIXED_LOGITS.map((x, v) => x + (wm.isGreen([], v) ? 2 : 0));
    for (const m of [model, logitsOnly]) {
      expect(await generationChiSquare(m, wm, biased, 40_000)).toBeLessThan(24.3); // 0.999 quantile of chi-square, 7 degrees of freedom
    }
  });
});

describe('detection power', () => {
  it('detects 200 tokens of a high-entropy model at p < 1e-6 in at least 99% of 200 trials', async () => {
    let detected = 0;
    for (let trial = 0; trial < 200; trial++) {
      const wm = createWatermark(generateKey({ gamma: 0.25, delta: 2 }), { vocabSize: V });
      const ids = await generate(1000 + trial, 200, wm);
      if (wm.detect(ids).log10PValue < -6) detected++;
    }
    expect(detected).toBeGreaterThanOrEqual(198);
  });

  it('does not flag the same model without the watermark', async () => {
    const wm = createWatermark(generateKey(), { vocabSize: V });
    for (let trial = 0; trial < 20; trial++) expect(wm.detect(await generate(trial, 200, null)).watermarked).toBe(false);
  });
});

describe('null calibration on human text', () => {
  const paragraphs = humanParagraphs(1200);

  it('gives uniform randomized p-values and a false-positive rate at 0.01 matching the exact size, over 1,000 keys', () => {
    const trials = 1000;
    const rng = seededRandom(99);
    const randomized: number[] = [];
    let rejections = 0;
    let expectedSize = 0;
    for (let i = 0; i < trials; i++) {
      const wm = createWatermark(generateKey({ window: 1 + (i % 4) }));
      const r = wm.detect(paragraphs[i % paragraphs.length]!, { alpha: 0.01 });
      // Randomized p = P[X > k] + U P[X = k] is exactly uniform under H0 (the plain one is discrete).
      const above = r.green < r.scored ? 10 ** log10BinomialTail(r.green + 1, r.scored, r.gamma) : 0;
      randomized.push(above + rng() * (r.pValue - above));
      if (r.watermarked) rejections++;
      expectedSize += exactSize(r.scored, r.gamma, 0.01);
    }
    expect(ksUniformTest(randomized).pValue).toBeGreaterThan(0.001);
    const interval = clopperPearson(rejections, trials, 0.99);
    const size = expectedSize / trials;
    expect(size).toBeLessThanOrEqual(0.01);
    expect(interval.lower).toBeLessThanOrEqual(size);
    expect(interval.upper).toBeGreaterThanOrEqual(size);
  });

  it('does not flag a paragraph repeated 50 times, and scores it like the paragraph alone', () => {
    const paragraph = paragraphs[3]!;
    for (let k = 0; k < 20; k++) {
      const wm = createWatermark(generateKey({ window: 2 }));
      const once = wm.detect(paragraph, { alpha: 0.01 });
      const repeated = wm.detect(Array(50).fill(paragraph).join('\n\n'), { alpha: 1e-6 });
      expect(repeated.watermarked).toBe(false);
      expect(repeated.scored).toBeLessThanOrEqual(once.scored + 10);
      expect(Math.abs(repeated.log10PValue - once.log10PValue)).toBeLessThan(1.5);
    }
  });
});

describe('detection API', () => {
  const key = generateKey({ window: 2 });
  const wm = createWatermark(key);

  it('reports the documented fields', () => {
    const r = wm.detect('The quick brown fox jumps over the lazy dog, again and again, until the dog wakes up.');
    for (const field of ['scheme', 'tokens', 'scored', 'green', 'gamma', 'z', 'pValue', 'log10PValue', 'alpha', 'watermarked']) {
      expect(r).toHaveProperty(field);
    }
    expect(r.scheme).toBe('kgw');
    expect(r.nullHypothesis).toMatch(/^H0:/);
    expect(r.warnings.join(' ')).toMatch(/little power/);
  });

  it('rejects empty text with EMPTY_INPUT and bad ids with INVALID_ARGUMENT', () => {
    expect(() => wm.detect('')).toThrowError(expect.objectContaining({ code: 'EMPTY_INPUT' }));
    expect(() => wm.detect([])).toThrowError(expect.objectContaining({ code: 'EMPTY_INPUT' }));
    expect(() => wm.detect([1, 2, 300_000])).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => wm.detect('abc', { alpha: 2 })).toThrowError(/alpha/);
    expect(() => wm.detect('abc', { dedup: 'maybe' as never })).toThrowError(/dedup/);
    let caught: unknown;
    try {
      wm.detect('');
    } catch (e) {
      caught = e;
    }
    expect(isRadiomarkError(caught)).toBe(true);
  });

  it('gives per-token statuses with character spans that cover the text', () => {
    const text = 'Naïve café owners — 日本語 too — sell crème brûlée. Naïve café owners sell crème brûlée.';
    const r = wm.detect(text, { details: true });
    const details = r.details!;
    expect(details.length).toBe(r.tokens);
    expect(details[0]!.start).toBe(0);
    expect(details[details.length - 1]!.end).toBe(text.length);
    expect(details.filter((d) => d.status === 'green' || d.status === 'red').length).toBe(r.scored);
    expect(details.filter((d) => d.status === 'green').length).toBe(r.green);
    expect(details.slice(0, 2).every((d) => d.status === 'unscored')).toBe(true);
    expect(details.some((d) => d.status === 'repeat')).toBe(true);
  });

  it('does not score windows that occur in the prompt', () => {
    const prompt = 'Tell me about the sea and the ships that sail on it.';
    const text = 'The sea and the ships that sail on it are old friends of mine.';
    const withPrompt = wm.detect(text, { prompt, details: true });
    expect(withPrompt.details!.some((d) => d.status === 'prompt')).toBe(true);
    expect(withPrompt.scored).toBeLessThan(wm.detect(text).scored + 2);
  });

  it('pools a batch into one tape, scoring tuples shared by several texts once', () => {
    const text = humanParagraphs(600)[0]!;
    const separate = wm.detectBatch([text, text]);
    expect(separate).toHaveLength(2);
    const pooled = wm.detectBatch([text, text], { pool: true });
    expect(pooled.scored).toBe(separate[0]!.scored);
    expect(pooled.tokens).toBe(2 * separate[0]!.tokens);
  });
});

describe('windowed detection', () => {
  it('finds a watermarked span in human text and corrects for the spans scanned', async () => {
    const tokensWm = await generate(5, 150, null);
    // A fixed key: the span's end is a random quantity, so a fresh key each run made this flaky.
    const key = fixedKey(11);
    const wm = createWatermark(key, { vocabSize: V });
    const marked: number[] = [];
    for await (const id of generateTokens(syntheticModel(V, 6), [9, 9], { maxTokens: 150, watermark: wm, rng: 6 })) marked.push(id);
    const ids = [...tokensWm, ...marked, ...(await generate(7, 150, null))];
    const r = wm.detectSpan(ids, { minScored: 32 });
    expect(r.span.log10PValue).toBeLessThan(-6);
    expect(r.span.log10PValue).toBeGreaterThanOrEqual(r.span.log10RawPValue);
    expect(r.span.start).toBeGreaterThanOrEqual(100);
    expect(r.span.end).toBeLessThanOrEqual(350);
  });

  it('keeps the corrected span p-value valid on unwatermarked text (FPR at 0.01 over 300 keys)', async () => {
    const ids = await generate(8, 400, null);
    let flagged = 0;
    for (let i = 0; i < 300; i++) {
      const wm = createWatermark(generateKey(), { vocabSize: V });
      if (wm.detectSpan(ids, { minScored: 25 }).span.log10PValue <= -2) flagged++;
    }
    expect(clopperPearson(flagged, 300, 0.99).lower).toBeLessThanOrEqual(0.01);
  });
});

function exactSize(n: number, gamma: number, alpha: number): number {
  if (n === 0) return 0;
  // Smallest k with P[X >= k] <= alpha; the size is that tail probability.
  for (let k = 0; k <= n; k++) {
    const tail = log10BinomialTail(k, n, gamma);
    if (tail <= Math.log10(alpha)) return 10 ** tail;
  }
  return 0;
}
