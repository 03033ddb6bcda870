import { describe, expect, it } from 'vitest';
import { getTokenizer } from '../../src/key/tokenizer.js';
import { trainKneserNey } from '../../src/model/train-kneser-ney.js';
import { kneserNeyTopK } from '../../src/radioactivity/kneser-ney-top-k.js';
import { ReadingModeTest } from '../../src/radioactivity/reading-mode.js';
import { alignedPredictor, type AlignmentStats } from '../../src/suspects/aligned-predictor.js';
import { kneserNeySuspect } from '../../src/suspects/kneser-ney-suspect.js';
import { logitsSuspect } from '../../src/suspects/logits-suspect.js';
import { endsInsideCharacter, suspectView } from '../../src/suspects/provider-view.js';
import { suspectTokenizer } from '../../src/suspects/tiktoken-suspect-tokenizer.js';
import { planContextWindows } from '../../src/suspects/context-windows.js';
import { fixedKey } from '../helpers/fixed-key.js';
import { humanParagraphs } from '../helpers/human-text.js';

const o200k = getTokenizer('o200k_base');
const cl100k = getTokenizer('cl100k_base');
const paragraphs = humanParagraphs(800).slice(0, 40);
const texts = paragraphs.slice(0, 6);

function newStats(): AlignmentStats {
  return { identity: false, positions: 0, insideCharacter: 0, noCandidate: 0, suspectTokens: 0 };
}

describe('suspects: identity alignment (same tokenizer as the provider)', () => {
  it('gives exactly the reading-mode results of kneserNeyTopK', async () => {
    const model = trainKneserNey(
      paragraphs.slice(6).map((p) => o200k.encode(p)),
      { order: 3, vocabSize: o200k.vocabSize },
    );
    const keys = [fixedKey(1, { window: 2 })];
    const controls = [2, 3, 4, 5].map((s) => fixedKey(s, { window: 2 }));
    const direct = new ReadingModeTest(kneserNeyTopK(model), keys, { controls, topK: 16 });
    const batched = new ReadingModeTest(undefined, keys, { controls, topK: 16 });
    const stats = newStats();
    const predict = alignedPredictor(kneserNeySuspect(model, o200k), o200k, stats);
    for (const text of texts) {
      const ids = o200k.encode(text);
      direct.readText(ids, 3);
      await batched.readTextBatched(ids, 3, predict);
    }
    expect(stats.identity).toBe(true);
    expect(batched.result()).toEqual(direct.result());
    expect(direct.result().greenMass.scored).toBeGreaterThan(500);
  });
});

describe('suspects: cross-tokenizer view (o200k provider, cl100k suspect)', () => {
  it('spells the same text, with a suspect boundary at every provider character boundary', () => {
    const text = `${texts[0]!} Café naïveté — “quotes” 東京 🙂 𓀀 䨻 end.`;
    const ids = o200k.encode(text);
    const view = suspectView(ids, o200k, suspectTokenizer(cl100k));
    expect(cl100k.decode(view.ids)).toBe(text);
    let last = 0;
    for (let i = 0; i <= ids.length; i++) {
      const e = view.before[i]!;
      if (e < 0) continue;
      expect(e).toBeGreaterThanOrEqual(last);
      last = e;
      // The suspect tokens before i spell exactly the provider text before i.
      expect(cl100k.decode(view.ids.subarray(0, e))).toBe(o200k.decode(ids.subarray(0, i)));
    }
    // 𓀀 is four o200k byte tokens, 䨻 three: positions inside them have no boundary.
    expect(Array.from(view.before).filter((e) => e < 0).length).toBe(5);
  });

  it('detects positions inside a UTF-8 character', () => {
    expect(endsInsideCharacter(Uint8Array.of(0x61))).toBe(false);
    expect(endsInsideCharacter(Uint8Array.of(0xc3))).toBe(true);
    expect(endsInsideCharacter(Uint8Array.of(0xc3, 0xa9))).toBe(false);
    expect(endsInsideCharacter(Uint8Array.of(0xf0, 0x9f, 0x99))).toBe(true);
    expect(endsInsideCharacter(Uint8Array.of(0xf0, 0x9f, 0x99, 0x82))).toBe(false);
  });

  it('maps suspect candidates to provider tokens (greedy first, masses merged)', async () => {
    const prompt = 'The sea was calm and the';
    const cands = [' ship', ' sailors', ' whale', ' sh'].map((w) => cl100k.encode(w)[0]!);
    // A fake suspect whose distribution puts fixed mass on four cl100k tokens.
    const suspect = {
      name: 'fixed',
      tokenizer: suspectTokenizer(cl100k),
      vocabSize: cl100k.vocabSize,
      contextLength: Infinity,
      predict: (_ids: Uint32Array, positions: Uint32Array, k: number) =>
        Promise.resolve({
          k,
          counts: new Uint32Array(positions.length).fill(4),
          tokens: Uint32Array.from({ length: positions.length * k }, (_, i) => cands[i % k] ?? 0),
          probs: Float64Array.from({ length: positions.length * k }, (_, i) => [0.4, 0.3, 0.2, 0.1][i % k] ?? 0),
        }),
    };
    const predict = alignedPredictor(suspect, o200k);
    const ids = o200k.encode(prompt);
    const rows = await predict(ids, Uint32Array.of(ids.length), 4);
    const got = Array.from(rows.tokens.subarray(0, rows.counts[0]), (v) => o200k.decode([v]));
    expect(got[0]).toBe(' ship');
    expect(new Set(got)).toEqual(new Set([' ship', ' sailors', ' whale', ' sh']));
    expect(rows.probs[0]).toBeCloseTo(0.4, 12);
  });
});

// A causal toy model over cl100k: the logits after ids[0..j) depend on the last three
// tokens before j only, through a hash; full 100,277-logit rows, as a real suspect gives.
function toyForward(vocab: number) {
  return (batch: readonly Uint32Array[], length: number): Promise<Float32Array> => {
    const out = new Float32Array(batch.length * length * vocab);
    batch.forEach((seq, b) => {
      for (let j = 0; j < seq.length; j++) {
        const h = (seq[j]! * 2654435761 + (seq[j - 1] ?? 7) * 40503 + (seq[j - 2] ?? 11)) >>> 0;
        const row = out.subarray((b * length + j) * vocab, (b * length + j + 1) * vocab);
        for (let t = 0; t < 64; t++) row[(h + t * 7919) % vocab] = 8 - t / 8;
      }
    });
    return Promise.resolve(out);
  };
}

describe('suspects: predictions at provider position t depend only on the text before t', () => {
  for (const [name, make] of [
    [
      'windowed neural suspect',
      () =>
        logitsSuspect({
          name: 'toy',
          tokenizer: suspectTokenizer(cl100k),
          vocabSize: cl100k.vocabSize,
          contextLength: 16,
          overlap: 5,
          batchSize: 3,
          forward: toyForward(cl100k.vocabSize),
        }),
    ],
    [
      'n-gram suspect over cl100k',
      () =>
        kneserNeySuspect(
          trainKneserNey(
            paragraphs.slice(6, 20).map((p) => cl100k.encode(p)),
            { order: 3, vocabSize: cl100k.vocabSize },
          ),
          cl100k,
        ),
    ],
  ] as const) {
    it(`${name}: changing the text after t leaves every row up to t unchanged`, async () => {
      const predict = alignedPredictor(make(), o200k);
      const a = o200k.encode(`${texts[1]!}`);
      const t = 60;
      const b = Uint32Array.from([...a.subarray(0, t), ...o200k.encode(' Ahab, however, said nothing at all about the white whale é.')]);
      const positions = Uint32Array.from({ length: t - 1 }, (_, i) => i + 2);
      const ra = await predict(a, positions, 8);
      const rb = await predict(b, positions, 8);
      expect(rb.counts).toEqual(ra.counts);
      expect(rb.tokens).toEqual(ra.tokens);
      expect(rb.probs).toEqual(ra.probs);
      expect(ra.counts.filter((c) => c > 0).length).toBeGreaterThan(t - 5);
      // And the rows do depend on the text: a different prefix changes them.
      const c = Uint32Array.from([...o200k.encode(' Ahab said'), ...a.subarray(2)]);
      const rc = await predict(c, positions, 8);
      expect(rc.tokens).not.toEqual(ra.tokens);
    });
  }

  it('windows: each position served by the first window reaching it, with at least overlap + 1 tokens of context', () => {
    const positions = Uint32Array.from({ length: 100 }, (_, i) => i + 1);
    const windows = planContextWindows(positions, 16, 5);
    const seen = new Set<number>();
    for (const w of windows) {
      expect(w.end - w.start).toBeLessThanOrEqual(16);
      w.requests.forEach((p, r) => {
        const j = positions[p]!;
        seen.add(j);
        expect(w.rows[r]).toBe(j - 1 - w.start);
        expect(j - w.start).toBeGreaterThanOrEqual(Math.min(j, 6));
      });
    }
    expect(seen.size).toBe(100);
  });
});
