// Power and quality of each scheme on the reference model (issue: distortion-free schemes).
// Run: npx tsx benchmarks/schemes.bench.ts [--quick]
// For kgw, gumbel and synthid: continuations of held-out prompts at temperature 1.0, with and
// without the watermark, a fresh key per sample; detection (prompt windows excluded) on the
// first T tokens for several T; TPR and FPR at alpha 1e-6; perplexity of the continuations
// under an order-5 reference model; generation speed.
import { createWatermark, generateKey, generateTokens, loadOrTrainReferenceModel } from '../src/index.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import { type Scheme } from '../src/key/params.js';
import { median, writeResult } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const samples = quick ? 10 : 40;
const lengths = [16, 25, 50, 100, 200];
const tokens = 200;
const alpha = 1e-6;
const model = await loadOrTrainReferenceModel({ order: 4 });
const judge = await loadOrTrainReferenceModel({ order: 5 });
const prompts = heldOutPrompts({ count: samples, promptTokens: 32, seed: 7 });

function perplexity(prompt: Uint32Array, ids: number[]): number {
  const context = Array.from(prompt);
  let nll = 0;
  for (const id of ids) {
    nll -= judge.logProb(context, id);
    context.push(id);
  }
  return Math.exp(nll / ids.length);
}

const rows = [];
for (const scheme of ['kgw', 'gumbel', 'synthid'] as Scheme[]) {
  const log10p: Record<number, { marked: number[]; plain: number[] }> = {};
  for (const t of lengths) log10p[t] = { marked: [], plain: [] };
  const ppl = { marked: [] as number[], plain: [] as number[] };
  const seconds = { marked: 0, plain: 0 };
  for (let i = 0; i < samples; i++) {
    const wm = createWatermark(generateKey({ scheme, window: 2 }), { vocabSize: model.vocabSize });
    for (const marked of [true, false]) {
      const ids: number[] = [];
      const start = performance.now();
      for await (const id of generateTokens(model, prompts[i]!, { maxTokens: tokens, watermark: marked ? wm : null, rng: i })) ids.push(id);
      seconds[marked ? 'marked' : 'plain'] += (performance.now() - start) / 1000;
      ppl[marked ? 'marked' : 'plain'].push(perplexity(prompts[i]!, ids));
      for (const t of lengths)
        log10p[t]![marked ? 'marked' : 'plain'].push(wm.detect(ids.slice(0, t), { prompt: prompts[i]!, alpha }).log10PValue);
    }
  }
  const rate = (xs: number[]) => xs.filter((x) => x <= Math.log10(alpha)).length / xs.length;
  const row = {
    scheme,
    samples,
    temperature: 1,
    alpha,
    powerByLength: lengths.map((t) => ({
      tokens: t,
      tpr: rate(log10p[t]!.marked),
      fpr: rate(log10p[t]!.plain),
      medianLog10PWatermarked: median(log10p[t]!.marked),
      medianLog10PPlain: median(log10p[t]!.plain),
    })),
    medianPerplexityOrder5: { watermarked: median(ppl.marked), plain: median(ppl.plain) },
    tokensPerSecond: {
      watermarked: Math.round((samples * tokens) / seconds.marked),
      plain: Math.round((samples * tokens) / seconds.plain),
    },
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
writeResult(quick ? 'schemes-quick' : 'schemes', {
  benchmark: 'schemes',
  note: 'fresh key per sample; detection excludes prompt windows',
  rows,
});
