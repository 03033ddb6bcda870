// Acceptance of #14 on real-format suspects: cl100k ONNX students (benchmarks/students
// pretrain.py + export_onnx.py, trained by benchmarks/suspects/README.md's recipe) read the
// watermarked o200k-teacher texts of make-data.ts. Supervised reading through the student
// trained on the watermarked texts, the same reading through the student trained on
// unwatermarked teacher texts, 100 wrong-key controls each (KS); then the throughput of
// reading through ONNX against the model's own forward passes over the same windows.
// Usage: npx tsx benchmarks/suspects/acceptance.bench.ts [--runs DIR] [--controls N] [--throughput-docs N]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateKey } from '../../src/key/key.js';
import { getTokenizer } from '../../src/key/tokenizer.js';
import { loadKey } from '../../src/node/key-store.js';
import { readTokenized } from '../../src/node/radioactivity-files.js';
import { loadSuspectModel } from '../../src/node/suspects/load-suspect.js';
import { openOnnxForward } from '../../src/node/suspects/onnx-suspect.js';
import { ReadingModeTest } from '../../src/radioactivity/reading-mode.js';
import { alignedPredictor, type AlignmentStats } from '../../src/suspects/aligned-predictor.js';
import { planContextWindows } from '../../src/suspects/context-windows.js';
import { suspectView } from '../../src/suspects/provider-view.js';
import { suspectTokenizer } from '../../src/suspects/tiktoken-suspect-tokenizer.js';
import { concatIds } from '../../src/base/token-ids.js';

const { values } = parseArgs({
  options: { runs: { type: 'string' }, controls: { type: 'string' }, docs: { type: 'string' }, 'throughput-docs': { type: 'string' } },
});
const runs = values.runs ?? join(import.meta.dirname, 'runs');
const controlCount = Number(values.controls ?? 100);
const throughputDocs = Number(values['throughput-docs'] ?? 20);
const docLimit = Number(values.docs ?? Infinity);
const o200k = getTokenizer('o200k_base');
const key = await loadKey(join(runs, 'teacher.key'));
const texts: Uint32Array[] = [];
const froms: number[] = [];
for await (const r of readTokenized(join(runs, 'watermarked.jsonl'), ['text'], { tokenizer: 'o200k_base' })) {
  if (texts.length === docLimit) break;
  texts.push(concatIds(r.prompt, r.text));
  froms.push(r.prompt.length);
}

async function read(student: string, docs: number) {
  const suspect = await loadSuspectModel(join(runs, `${student}.onnx`), { providerTokenizer: 'o200k_base' });
  const controls = Array.from({ length: controlCount }, () => generateKey(key.params));
  const stats: AlignmentStats = { identity: false, positions: 0, insideCharacter: 0, noCandidate: 0, suspectTokens: 0 };
  const predict = alignedPredictor(suspect, o200k, stats);
  const test = new ReadingModeTest(undefined, [key], { controls, topK: 32 });
  const start = performance.now();
  for (let i = 0; i < docs; i++) await test.readTextBatched(texts[i]!, froms[i]!, predict);
  const seconds = (performance.now() - start) / 1000;
  await suspect.close?.();
  const { greenMass, argmax } = test.result();
  return {
    student,
    seconds,
    alignment: stats,
    unpredicted: test.unpredicted,
    greenMass: { log10PValue: greenMass.log10PValue, z: greenMass.keys[0]!.z, scored: greenMass.scored, controls: greenMass.controls },
    argmax: { log10PValue: argmax.log10PValue, green: argmax.green, scored: argmax.scored, ksPValue: argmax.controls?.ks.pValue },
  };
}

// The same forward passes the reader runs (windows of the context, overlap a quarter, 4 per
// batch), timed alone: the model's own cost of giving a prediction at every position.
async function forwardOnly(student: string, docs: number) {
  const model = await openOnnxForward(join(runs, `${student}.onnx`));
  const cl100k = suspectTokenizer(getTokenizer('cl100k_base'));
  const views = texts.slice(0, docs).map((t) => suspectView(t, o200k, cl100k).ids);
  const time = async (overlap: number) => {
    const start = performance.now();
    for (const ids of views) {
      const windows = planContextWindows(
        Uint32Array.from({ length: ids.length }, (_, i) => i + 1),
        64,
        overlap,
      );
      for (let b = 0; b < windows.length; b += 4) {
        const group = windows.slice(b, b + 4);
        const length = Math.max(...group.map((w) => w.end - w.start));
        await model.forward(
          group.map((w) => ids.subarray(w.start, w.end)),
          length,
        );
      }
    }
    return (performance.now() - start) / 1000;
  };
  const sameWindows = await time(16);
  const plainChunks = await time(0);
  await model.close();
  return { sameWindows, plainChunks };
}

const watermarked = await read('wm', texts.length);
console.error(JSON.stringify(watermarked));
const clean = await read('clean', texts.length);
console.error(JSON.stringify(clean));
const readTimed = await read('wm', throughputDocs);
const forward = await forwardOnly('wm', throughputDocs);
const result = {
  benchmark: 'suspects-acceptance',
  date: new Date().toISOString(),
  texts: texts.length,
  tokens: texts.reduce((s, t, i) => s + t.length - froms[i]!, 0),
  controls: controlCount,
  watermarkedStudent: watermarked,
  cleanStudent: clean,
  throughput: {
    docs: throughputDocs,
    readingSeconds: readTimed.seconds,
    forwardSecondsSameWindows: forward.sameWindows,
    forwardSecondsPlainChunks: forward.plainChunks,
    ratioSameWindows: forward.sameWindows / readTimed.seconds,
    ratioPlainChunks: forward.plainChunks / readTimed.seconds,
  },
};
writeFileSync(join(import.meta.dirname, '..', 'results', 'suspects-acceptance.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
