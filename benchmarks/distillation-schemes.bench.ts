// Distillation row for the distortion-free schemes (gumbel, synthid) at rho = 10%, closed
// mode (unfiltered and filtered) with 20 wrong-key controls, plus the true-key null check on a
// student trained on the teacher's UNWATERMARKED outputs. Reduced scale (see `CFG`): the
// distortion-free samplers need the full distribution at every step (O(V) per token), so the
// teacher samples from its top-50 tokens (as SynthID's own experiments do) to keep the run
// to minutes. Run: npx tsx benchmarks/distillation-schemes.bench.ts [--quick]
import { generateKey, type WatermarkKey } from '../src/key/key.js';
import type { LanguageModel } from '../src/model/language-model.js';
import type { Scheme } from '../src/key/params.js';
import { corpusTokenStreams } from '../src/node/corpora.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import { loadOrTrainReferenceModel } from '../src/node/model-cache.js';
import { ClosedModeTest } from '../src/radioactivity/closed-mode.js';
import { WindowSet } from '../src/windows/window-filter.js';
import { seededRandom, type RandomSource } from '../src/base/rng.js';
import { concatIds } from '../src/base/token-ids.js';
import { createWatermark } from '../src/watermark/watermark.js';
import { median, writeResult } from './lib/timing.js';
import { firstTokens, generateDocs, trainStudent, type Doc } from './lib/distillation-docs.js';

const quick = process.argv.includes('--quick');
const CFG = quick
  ? { human: 200_000, rho: 0.1, keys: 1, suspect: 60_000, controls: 20, topK: 50, window: 2 }
  : { human: 500_000, rho: 0.1, keys: 3, suspect: 200_000, controls: 20, topK: 50, window: 2 };
const VOCAB = 200_019;
const TEXT_TOKENS = 256;
const t0 = performance.now();
const log = (s: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(0)}s] ${s}`);

function generate(
  model: LanguageModel,
  prompts: Uint32Array[],
  total: number,
  key: WatermarkKey | null,
  rng: RandomSource,
  topK?: number,
): Promise<Doc[]> {
  const watermark = key ? createWatermark(key, { vocabSize: VOCAB }) : null;
  return generateDocs(model, prompts, total, rng, { watermark, topK, textTokens: TEXT_TOKENS });
}

const joined = (d: Doc) => concatIds(d.prompt, d.text);

function closed(key: WatermarkKey, outputs: Doc[], filter: WindowSet | undefined, controls: WatermarkKey[]) {
  const test = new ClosedModeTest([key], { filter, controls, alpha: 1e-5 });
  for (const d of outputs) test.excludePrompt(d.prompt);
  for (const d of outputs) test.readCompletion(d.text, d.prompt);
  const r = test.result();
  return { log10PValue: r.log10PValue, scored: r.scored, controlsKs: r.controls?.ks.pValue, controlsRejected: r.controls?.rejected };
}

const teacher = await loadOrTrainReferenceModel({ order: 4 });
const human = firstTokens(corpusTokenStreams(), CFG.human);
const prompts = heldOutPrompts({ count: 3000, promptTokens: 16, seed: 7 });
const teacherTokens = Math.round((CFG.rho / (1 - CFG.rho)) * CFG.human);
const rows: {
  scheme: string;
  closedUnfiltered: { log10PValue: number };
  closedFiltered: { log10PValue: number };
  cleanStudentFiltered: { log10PValue: number };
}[] = [];
for (const scheme of ['gumbel', 'synthid'] as Scheme[]) {
  for (let k = 0; k < CFG.keys; k++) {
    const rng = seededRandom(100 * k + (scheme === 'gumbel' ? 1 : 2));
    const key = generateKey({ scheme, window: CFG.window });
    const controls = Array.from({ length: CFG.controls }, () => generateKey({ scheme, window: CFG.window }));
    const marked = await generate(teacher, prompts, teacherTokens, key, rng, CFG.topK);
    log(`${scheme} key ${k}: ${teacherTokens} watermarked teacher tokens`);
    const student = trainStudent(human, marked, 3, VOCAB);
    const outputs = await generate(student, prompts, CFG.suspect, null, rng);
    const filter = WindowSet.fromTexts(marked.map(joined), CFG.window);
    // Null check with the TRUE key: a student trained on the same amount of UNWATERMARKED teacher text.
    const plain = await generate(teacher, prompts, teacherTokens, null, rng, CFG.topK);
    const cleanStudent = trainStudent(human, plain, 3, VOCAB);
    const cleanOutputs = await generate(cleanStudent, prompts, CFG.suspect, null, rng);
    const row = {
      scheme,
      key: k,
      rho: CFG.rho,
      teacherTokens,
      closedUnfiltered: closed(key, outputs, undefined, controls),
      closedFiltered: closed(key, outputs, filter, controls),
      cleanStudentUnfiltered: closed(key, cleanOutputs, undefined, []),
      cleanStudentFiltered: closed(key, cleanOutputs, filter, []),
    };
    rows.push(row);
    log(JSON.stringify(row));
  }
}
const summary = ['gumbel', 'synthid'].map((scheme) => {
  const sel = rows.filter((r) => r.scheme === scheme);
  return {
    scheme,
    medianClosedUnfiltered: median(sel.map((r) => r.closedUnfiltered.log10PValue)),
    medianClosedFiltered: median(sel.map((r) => r.closedFiltered.log10PValue)),
    medianCleanStudentFiltered: median(sel.map((r) => r.cleanStudentFiltered.log10PValue)),
  };
});
writeResult(quick ? 'distillation-schemes-quick' : 'distillation-schemes', {
  benchmark: 'distillation-schemes',
  config: CFG,
  summary,
  rows,
});
console.log(JSON.stringify(summary, null, 2));
