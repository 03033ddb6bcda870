// Distillation row for the distortion-free schemes (gumbel, synthid) at rho = 10%, closed
// mode (unfiltered and filtered) with 20 wrong-key controls, plus the true-key null check on a
// student trained on the teacher's UNWATERMARKED outputs. Reduced scale (see `CFG`): the
// distortion-free samplers need the full distribution at every step (O(V) per token), so the
// teacher samples from its top-50 tokens (as SynthID's own experiments do) to keep the run
// to minutes. Run: npx tsx benchmarks/distillation-schemes.bench.ts [--quick]
import { generateTokens } from '../src/generate.js';
import { generateKey, type WatermarkKey } from '../src/key.js';
import type { KneserNeyModel } from '../src/model/kneser-ney-model.js';
import { trainKneserNey } from '../src/model/train-kneser-ney.js';
import type { Scheme } from '../src/params.js';
import { corpusTokenStreams } from '../src/node/corpora.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import { loadOrTrainReferenceModel } from '../src/node/model-cache.js';
import { ClosedModeTest } from '../src/radioactivity/closed-mode.js';
import { WindowSet } from '../src/radioactivity/window-filter.js';
import { seededRandom, type RandomSource } from '../src/rng.js';
import { concatIds } from '../src/token-ids.js';
import { createWatermark } from '../src/watermark.js';
import { median, writeResult } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const CFG = quick
  ? { human: 200_000, rho: 0.1, keys: 1, suspect: 60_000, controls: 20, topK: 50, window: 2 }
  : { human: 500_000, rho: 0.1, keys: 3, suspect: 200_000, controls: 20, topK: 50, window: 2 };
const VOCAB = 200_019;
const TEXT_TOKENS = 256;
const t0 = performance.now();
const log = (s: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(0)}s] ${s}`);

interface Doc {
  prompt: Uint32Array;
  text: Uint32Array;
}

async function generate(model: KneserNeyModel, prompts: Uint32Array[], total: number, key: WatermarkKey | null, rng: RandomSource, topK?: number): Promise<Doc[]> {
  const watermark = key ? createWatermark(key, { vocabSize: VOCAB }) : null;
  const docs: Doc[] = [];
  for (let n = 0, i = 0; n < total; i++) {
    const prompt = prompts[i % prompts.length]!;
    const out: number[] = [];
    for await (const t of generateTokens(model, prompt, { maxTokens: Math.min(TEXT_TOKENS, total - n), watermark, rng, topK })) out.push(t);
    docs.push({ prompt, text: Uint32Array.from(out) });
    n += out.length;
  }
  return docs;
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
const human: Uint32Array[] = [];
for (let n = 0, streams = corpusTokenStreams(), i = 0; n < CFG.human && i < streams.length; i++) {
  human.push(streams[i]!.subarray(0, CFG.human - n));
  n += human.at(-1)!.length;
}
const prompts = heldOutPrompts({ count: 3000, promptTokens: 16, seed: 7 });
const teacherTokens = Math.round((CFG.rho / (1 - CFG.rho)) * CFG.human);
const rows: { scheme: string; closedUnfiltered: { log10PValue: number }; closedFiltered: { log10PValue: number }; cleanStudentFiltered: { log10PValue: number } }[] = [];
for (const scheme of ['gumbel', 'synthid'] as Scheme[]) {
  for (let k = 0; k < CFG.keys; k++) {
    const rng = seededRandom(100 * k + (scheme === 'gumbel' ? 1 : 2));
    const key = generateKey({ scheme, window: CFG.window });
    const controls = Array.from({ length: CFG.controls }, () => generateKey({ scheme, window: CFG.window }));
    const marked = await generate(teacher, prompts, teacherTokens, key, rng, CFG.topK);
    log(`${scheme} key ${k}: ${teacherTokens} watermarked teacher tokens`);
    const student = trainKneserNey([...human, ...marked.map(joined)], { order: 3, vocabSize: VOCAB });
    const outputs = await generate(student, prompts, CFG.suspect, null, rng);
    const filter = WindowSet.fromTexts(marked.map(joined), CFG.window);
    // Null check with the TRUE key: a student trained on the same amount of UNWATERMARKED teacher text.
    const plain = await generate(teacher, prompts, teacherTokens, null, rng, CFG.topK);
    const cleanStudent = trainKneserNey([...human, ...plain.map(joined)], { order: 3, vocabSize: VOCAB });
    const cleanOutputs = await generate(cleanStudent, prompts, CFG.suspect, null, rng);
    const row = {
      scheme, key: k, rho: CFG.rho, teacherTokens,
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
writeResult(quick ? 'distillation-schemes-quick' : 'distillation-schemes', { benchmark: 'distillation-schemes', config: CFG, summary, rows });
console.log(JSON.stringify(summary, null, 2));
