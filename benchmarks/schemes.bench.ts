// Power of each scheme on the reference model (issue: distortion-free schemes).
// Run: npx tsx benchmarks/schemes.bench.ts [--quick]
// For kgw, gumbel and synthid: generate continuations of held-out prompts at temperature 1.0
// with and without the watermark, detect them (prompt windows excluded), report TPR and FPR
// at alpha 1e-6 and generation speed.
import {
  createWatermark,
  generateKey,
  generateTokens,
  heldOutPrompts,
  loadOrTrainReferenceModel,
  type Scheme,
} from '../src/index.js';
import { writeResult } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const samples = quick ? 10 : 50;
const tokens = 200;
const alpha = 1e-6;
const model = await loadOrTrainReferenceModel({ order: 4 });
const prompts = heldOutPrompts({ count: samples, promptTokens: 32, seed: 7 });

const rows = [];
for (const scheme of ['kgw', 'gumbel', 'synthid'] as Scheme[]) {
  const log10p = { watermarked: [] as number[], plain: [] as number[] };
  let seconds = 0;
  for (let i = 0; i < samples; i++) {
    // A fresh key per sample: the rates are over keys as well as prompts.
    const wm = createWatermark(generateKey({ scheme, window: 2 }), { vocabSize: model.vocabSize });
    for (const marked of [true, false]) {
      const ids: number[] = [];
      const start = performance.now();
      for await (const id of generateTokens(model, prompts[i]!, { maxTokens: tokens, watermark: marked ? wm : null, rng: i })) ids.push(id);
      if (marked) seconds += (performance.now() - start) / 1000;
      log10p[marked ? 'watermarked' : 'plain'].push(wm.detect(ids, { prompt: prompts[i]!, alpha }).log10PValue);
    }
  }
  const rate = (xs: number[]) => xs.filter((x) => x <= Math.log10(alpha)).length / xs.length;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const row = {
    scheme,
    samples,
    tokens,
    temperature: 1,
    alpha,
    tpr: rate(log10p.watermarked),
    fpr: rate(log10p.plain),
    medianLog10PWatermarked: median(log10p.watermarked),
    medianLog10PPlain: median(log10p.plain),
    watermarkedTokensPerSecond: Math.round((samples * tokens) / seconds),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
writeResult(quick ? 'schemes-quick' : 'schemes', { benchmark: 'schemes', rows });
