// Quality cost of the watermark: perplexity of watermarked vs unwatermarked generations under
// a higher-order reference model (order 5), per delta.
// Run: npx tsx benchmarks/quality.bench.ts [--quick]   -> benchmarks/results/quality[-quick].json
//
// Generator: reference Kneser-Ney order 4 (gamma 0.25, LeftHash h = 2), 200 tokens after
// held-out 32-token prompts, delta in {0 (no watermark), 1, 2, 4}, temperature 1 (SDK
// generateTokens) and 0.7 (instrumented full-distribution sampler). Rater: order-5 model
// trained on the same training split; every generated token is scored with its prompt as
// context. Reference: held-out human passages of the same length.
import { createWatermark, generateTokens, getTokenizer, loadOrTrainReferenceModel } from '../src/index.js';
import { heldOutDocuments } from '../src/node/corpora.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import { seededRandom } from '../src/base/rng.js';
import type { KneserNeyModel } from '../src/model/index.js';
import { InstrumentedSampler, log, mean, QUICK, resultName, round, seededKey, since, standardError } from './lib/harness.js';
import { writeResult } from './lib/timing.js';

const DELTAS = [0, 1, 2, 4];
const GENERATED = 200;
const PROMPT = 32;
const COUNTS = QUICK ? { 1: 20, 0.7: 8 } : { 1: 200, 0.7: 60 };

const t0 = performance.now();
const generator = await loadOrTrainReferenceModel({ order: 4 });
const rater = await loadOrTrainReferenceModel({ order: 5, onProgress: (e) => e.stage !== 'cache-hit' && log(e.message) });
log(`models ready (${since(t0)} s)`);

/** Mean negative log-likelihood per token of `ids` after `prompt` under `model`. */
function nll(model: KneserNeyModel, prompt: Uint32Array, ids: Uint32Array): number {
  const all = new Uint32Array(prompt.length + ids.length);
  all.set(prompt);
  all.set(ids, prompt.length);
  let sum = 0;
  for (let t = prompt.length; t < all.length; t++) sum -= model.logProb(all.subarray(Math.max(0, t - model.order + 1), t), all[t]!);
  return sum / ids.length;
}

function perplexityStats(nlls: number[]) {
  const m = mean(nlls);
  const se = standardError(nlls);
  return {
    perplexity: round(Math.exp(m)),
    lower95: round(Math.exp(m - 1.96 * se)),
    upper95: round(Math.exp(m + 1.96 * se)),
    meanNll: round(m),
    n: nlls.length,
  };
}

const prompts = heldOutPrompts({ count: Math.max(COUNTS[1], COUNTS[0.7]), promptTokens: PROMPT, seed: 13 });
const rows = [];
for (const temperature of [1, 0.7] as const) {
  const sampler = temperature === 1 ? undefined : new InstrumentedSampler(generator, temperature);
  for (const delta of DELTAS) {
    const t1 = performance.now();
    const rater5: number[] = [];
    const self4: number[] = [];
    const greens: number[] = [];
    for (let i = 0; i < COUNTS[temperature]; i++) {
      const params = { gamma: 0.25, delta, window: 2, seeding: 'lefthash' as const };
      const wm = createWatermark(seededKey(params, 60_000 + i), { vocabSize: generator.vocabSize });
      const rng = seededRandom(80_000 + i); // same randomness for every delta
      let ids: Uint32Array;
      if (sampler) ids = sampler.generate(prompts[i]!, GENERATED, wm, rng, delta > 0).ids;
      else {
        const out: number[] = [];
        for await (const id of generateTokens(generator, prompts[i]!, { maxTokens: GENERATED, watermark: delta > 0 ? wm : null, rng }))
          out.push(id);
        ids = Uint32Array.from(out);
      }
      rater5.push(nll(rater, prompts[i]!, ids));
      self4.push(nll(generator, prompts[i]!, ids));
      const det = wm.detect(ids, { prompt: prompts[i] });
      greens.push(det.green / Math.max(1, det.scored));
    }
    const row = {
      temperature,
      delta,
      path: sampler ? 'instrumented full-distribution sampler' : 'generateTokens (rejection fast path)',
      order5: perplexityStats(rater5),
      order4Generator: perplexityStats(self4),
      greenFraction: round(mean(greens)),
      seconds: since(t1),
    };
    rows.push(row);
    log(
      `T=${temperature} delta=${delta}: ppl5 ${row.order5.perplexity} [${row.order5.lower95}, ${row.order5.upper95}] green ${row.greenFraction} (${row.seconds} s)`,
    );
  }
}

// Human reference: held-out passages of the same shape (32-token context, 200 scored tokens).
const tokenizer = getTokenizer('o200k_base');
const docs = heldOutDocuments()
  .map((d) => tokenizer.encode(d.text))
  .filter((d) => d.length > 1000);
const rng = seededRandom(99);
const humanNll: number[] = [];
for (let i = 0; i < (QUICK ? 30 : 300); i++) {
  const doc = docs[i % docs.length]!;
  const start = Math.floor(rng() * (doc.length - PROMPT - GENERATED));
  humanNll.push(nll(rater, doc.subarray(start, start + PROMPT), doc.subarray(start + PROMPT, start + PROMPT + GENERATED)));
}

const path = writeResult(resultName('quality'), {
  benchmark: 'quality',
  quick: QUICK,
  settings: {
    generator: 'reference Kneser-Ney order 4',
    rater: 'reference Kneser-Ney order 5 (same training split)',
    params: { gamma: 0.25, window: 2, seeding: 'lefthash' },
    deltas: DELTAS,
    generatedTokens: GENERATED,
    promptTokens: PROMPT,
    counts: COUNTS,
    perplexity: 'exp(mean over texts of the per-token NLL); 95% interval from the standard error of the per-text NLL',
    pairing: 'the same prompts and sampler seeds for every delta',
  },
  rows,
  humanReference: { ...perplexityStats(humanNll), note: 'held-out human passages, same shape, under the order-5 rater' },
  seconds: since(t0),
});
log(`wrote ${path} in ${since(t0)} s`);
