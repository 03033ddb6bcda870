// Robustness of detection to token edits and to dilution in human text.
// Run: npx tsx benchmarks/robustness.bench.ts [--quick]   -> benchmarks/results/robustness[-quick].json
//
// (a) Edits: 200-token watermarked continuations (reference model order 4, temperature 1,
//     gamma 0.25, delta 2) are attacked by random substitution, deletion or insertion of a
//     share of their tokens (inserted/substituted tokens drawn from held-out human text), then
//     detected from the text alone (no prompt): whole-text exact test, and the best span of
//     detectSpan with its corrected p-value.
// (b) Embedding: a watermarked span of 10% to 50% of a 600-token text, generated as the
//     continuation of the human text before it, the rest held-out human text.
// (c) Null control of detectSpan: human passages of 600 tokens, fresh key each.
import { createWatermark, generateTokens, getTokenizer, loadOrTrainReferenceModel } from '../src/index.js';
import { heldOutDocuments } from '../src/node/corpora.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import { seededRandom } from '../src/base/rng.js';
import type { WatermarkParams } from '../src/index.js';
import type { RandomSource } from '../src/base/rng.js';
import type { Seeding } from '../src/key/params.js';
import { log, medianOf, proportion, QUICK, resultName, round, seededKey, since } from './lib/harness.js';
import { writeResult } from './lib/timing.js';

const ALPHAS = [1e-3, 1e-6];
const RATES = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
const FRACTIONS = [0.1, 0.2, 0.3, 0.4, 0.5];
const GENERATED = 200;
const TOTAL = 600;
const MIN_SCORED = 32;
const N_EDIT = QUICK ? 40 : 300;
const N_EMBED = QUICK ? 30 : 200;
const N_NULL = QUICK ? 500 : 5_000;

const CONFIGS: { gamma: number; delta: number; window: number; seeding: Seeding }[] = [
  { gamma: 0.25, delta: 2, window: 2, seeding: 'lefthash' },
  { gamma: 0.25, delta: 2, window: 1, seeding: 'lefthash' },
  { gamma: 0.25, delta: 2, window: 4, seeding: 'minhash' },
  { gamma: 0.25, delta: 2, window: 4, seeding: 'selfhash' },
];
const EMBED_CONFIGS = QUICK ? CONFIGS.slice(0, 1) : [CONFIGS[0]!, CONFIGS[3]!];

const t0 = performance.now();
const model = await loadOrTrainReferenceModel({ order: 4 });
const tokenizer = getTokenizer('o200k_base');
const human = heldOutDocuments()
  .map((d) => tokenizer.encode(d.text))
  .filter((ids) => ids.length > TOTAL + 10);
const humanTokens = Uint32Array.from(human.flatMap((d) => Array.from(d)));
const humanToken = (rng: RandomSource) => humanTokens[Math.floor(rng() * humanTokens.length)]!;
const humanPassage = (rng: RandomSource, length: number) => {
  const doc = human[Math.floor(rng() * human.length)]!;
  const start = Math.floor(rng() * (doc.length - length));
  return doc.slice(start, start + length);
};

type Attack = 'substitution' | 'deletion' | 'insertion';
function attack(ids: Uint32Array, kind: Attack, rate: number, rng: RandomSource): Uint32Array {
  const out: number[] = [];
  for (const id of ids) {
    if (kind === 'substitution') out.push(rng() < rate ? humanToken(rng) : id);
    else if (kind === 'deletion') {
      if (rng() >= rate) out.push(id);
    } else {
      out.push(id);
      if (rng() < rate) out.push(humanToken(rng));
    }
  }
  return Uint32Array.from(out);
}

async function generate(params: Partial<WatermarkParams>, prompt: Uint32Array, maxTokens: number, seed: number) {
  const wm = createWatermark(seededKey(params, seed), { vocabSize: model.vocabSize });
  const out: number[] = [];
  for await (const id of generateTokens(model, prompt, { maxTokens, watermark: wm, rng: seed ^ 0x2545f491 })) out.push(id);
  return { wm, ids: Uint32Array.from(out) };
}

interface Outcome {
  full: number;
  span: number;
  scored: number;
}
function summarize(outcomes: Outcome[]) {
  const tpr: Record<string, { full: ReturnType<typeof proportion>; span: ReturnType<typeof proportion> }> = {};
  for (const alpha of ALPHAS) {
    const l = Math.log10(alpha);
    tpr[alpha.toExponential()] = {
      full: proportion(outcomes.filter((o) => o.full <= l).length, outcomes.length),
      span: proportion(outcomes.filter((o) => o.span <= l).length, outcomes.length),
    };
  }
  return {
    n: outcomes.length,
    meanScored: round(outcomes.reduce((s, o) => s + o.scored, 0) / outcomes.length),
    medianLog10P: round(medianOf(outcomes.map((o) => o.full))),
    medianSpanLog10P: round(medianOf(outcomes.map((o) => o.span))),
    tpr,
  };
}

// (a) edits
const edits = [];
for (const params of CONFIGS) {
  const t1 = performance.now();
  const prompts = heldOutPrompts({ count: N_EDIT, promptTokens: 32, seed: 12 });
  const gens = [];
  for (let i = 0; i < N_EDIT; i++) gens.push(await generate(params, prompts[i]!, GENERATED, 7_000 + i));
  for (const kind of ['substitution', 'deletion', 'insertion'] as const) {
    for (const rate of RATES) {
      if (rate === 0 && kind !== 'substitution') continue;
      const rng = seededRandom(Math.round(rate * 100) + kind.length * 1000);
      const outcomes = gens.map(({ wm, ids }) => {
        const r = wm.detectSpan(attack(ids, kind, rate, rng), { minScored: MIN_SCORED });
        return { full: r.log10PValue, span: r.span.log10PValue, scored: r.scored };
      });
      edits.push({ ...params, attack: rate === 0 ? 'none' : kind, rate, ...summarize(outcomes) });
    }
  }
  log(`edits ${JSON.stringify(params)}: ${since(t1)} s`);
}

// (b) embedding a watermarked span in human text
const embedding = [];
for (const params of EMBED_CONFIGS) {
  for (const fraction of FRACTIONS) {
    const rng = seededRandom(Math.round(fraction * 1000) + 31);
    const outcomes: Outcome[] = [];
    const m = Math.round(fraction * TOTAL);
    for (let i = 0; i < N_EMBED; i++) {
      const text = humanPassage(rng, TOTAL);
      const a = 32 + Math.floor(rng() * (TOTAL - m - 32 + 1));
      const { wm, ids } = await generate(params, text.subarray(0, a), m, 9_000 + i + Math.round(fraction * 1e6));
      const mixed = new Uint32Array(TOTAL);
      mixed.set(text.subarray(0, a));
      mixed.set(ids, a);
      mixed.set(text.subarray(a + m), a + m);
      const r = wm.detectSpan(mixed, { minScored: MIN_SCORED });
      outcomes.push({ full: r.log10PValue, span: r.span.log10PValue, scored: r.scored });
    }
    embedding.push({ ...params, fraction, watermarkedTokens: m, totalTokens: TOTAL, ...summarize(outcomes) });
  }
  log(`embedding ${JSON.stringify(params)} done (${since(t0)} s)`);
}

// (c) detectSpan on human text only: the corrected p-value must keep its level
const nullRng = seededRandom(4242);
const nullOutcomes: Outcome[] = [];
for (let i = 0; i < N_NULL; i++) {
  const wm = createWatermark(seededKey(CONFIGS[0]!, 50_000 + i));
  const r = wm.detectSpan(humanPassage(nullRng, TOTAL), { minScored: MIN_SCORED });
  nullOutcomes.push({ full: r.log10PValue, span: r.span.log10PValue, scored: r.scored });
}
const spanNull = [1e-1, 1e-2, 1e-3].map((alpha) => ({
  alpha,
  full: proportion(nullOutcomes.filter((o) => o.full <= Math.log10(alpha)).length, N_NULL, 0.99),
  span: proportion(nullOutcomes.filter((o) => o.span <= Math.log10(alpha)).length, N_NULL, 0.99),
}));

const path = writeResult(resultName('robustness'), {
  benchmark: 'robustness',
  quick: QUICK,
  settings: {
    model: 'reference Kneser-Ney order 4, temperature 1 (generateTokens)',
    generatedTokens: GENERATED,
    editGenerations: N_EDIT,
    embedGenerations: N_EMBED,
    embedTotalTokens: TOTAL,
    spanMinScored: MIN_SCORED,
    alphas: ALPHAS,
    replacementTokens: 'drawn uniformly from the held-out human token stream',
    detection:
      'text only (no prompt); full = exact de-duplicated test of the whole text; span = detectSpan best span, Bonferroni-corrected over the spans scanned',
    intervals: 'TPR: 95% Clopper-Pearson; span null: 99%',
  },
  edits,
  embedding,
  spanNull: { tests: N_NULL, totalTokens: TOTAL, params: CONFIGS[0], byAlpha: spanNull },
  seconds: since(t0),
});
log(`wrote ${path} in ${since(t0)} s`);
