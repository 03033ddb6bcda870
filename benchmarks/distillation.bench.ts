// Distillation simulation: does a student n-gram model trained on a share rho of watermarked
// teacher outputs carry the watermark? Closed (unfiltered, filtered) and open (supervised,
// unsupervised) tests, plus null controls. Run: npx tsx benchmarks/distillation.bench.ts [--quick]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey, type WatermarkKey } from '../src/key/key.js';
import type { KneserNeyModel } from '../src/model/kneser-ney-model.js';
import type { LanguageModel } from '../src/model/language-model.js';
import { corpusTokenStreams } from '../src/node/corpora.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import { loadOrTrainReferenceModel } from '../src/node/model-cache.js';
import { ClosedModeTest } from '../src/radioactivity/closed-mode.js';
import { kneserNeyTopK } from '../src/radioactivity/kneser-ney-top-k.js';
import { randomizedBinomialPValue } from '../src/stats/randomized-p-value.js';
import { ReadingModeTest } from '../src/radioactivity/reading-mode.js';
import { WindowSet } from '../src/windows/window-filter.js';
import { seededRandom, type RandomSource } from '../src/base/rng.js';
import { ksUniformTest } from '../src/stats/index.js';
import { createWatermark } from '../src/watermark/watermark.js';
import { median, RESULTS_DIR } from './lib/timing.js';
import { firstTokens, generateDocs, takeDocs, trainStudent, type Doc } from './lib/distillation-docs.js';
import { concatIds } from '../src/base/token-ids.js';

const quick = process.argv.includes('--quick');
const CFG = quick
  ? {
      human: 300_000,
      keys: 2,
      windows: [2],
      rhos: [0, 0.02, 0.1, 1],
      suspect: 100_000,
      read: 50_000,
      unsup: 30_000,
      cleanStudents: 20,
      cleanHuman: 100_000,
      controls: 20,
    }
  : {
      human: 2_000_000,
      keys: 5,
      windows: [1, 2, 4],
      rhos: [0, 0.005, 0.01, 0.02, 0.05, 0.1, 1],
      suspect: 1_000_000,
      read: 200_000,
      unsup: 100_000,
      cleanStudents: 24,
      cleanHuman: 1_000_000,
      controls: 20,
    };
// `--windows 2` (or `--windows 1,4`) restricts the run to some window sizes; `--rhos 0.01,0.02`
// to some shares; `--unsup N` reads N tokens of other watermarked texts in the unsupervised
// open test (default 100k); `--no-clean-students` skips the 24 independently trained clean students.
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const windowsArg = process.argv.indexOf('--windows');
if (windowsArg > 0) CFG.windows = argValue('--windows')!.split(',').map(Number);
if (argValue('--rhos')) CFG.rhos = argValue('--rhos')!.split(',').map(Number);
if (argValue('--unsup')) CFG.unsup = Number(argValue('--unsup'));
const cleanStudentRuns = !process.argv.includes('--no-clean-students');
const STUDENT_ORDER = 3;
const TEXT_TOKENS = 256;
const PROMPT_TOKENS = 16;
const TOP_K = 32;
const VOCAB = 200_019;
const log = (s: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(0)}s] ${s}`);
const t0 = performance.now();

function generate(
  model: LanguageModel,
  prompts: Uint32Array[],
  total: number,
  key: WatermarkKey | null,
  rng: RandomSource,
  offset = 0,
): Promise<Doc[]> {
  const watermark = key ? createWatermark(key, { vocabSize: VOCAB }) : null;
  return generateDocs(model, prompts, total, rng, { watermark, offset, textTokens: TEXT_TOKENS });
}

const train = (human: Uint32Array[], extra: Doc[]) => trainStudent(human, extra, STUDENT_ORDER, VOCAB);

function teacherTokens(rho: number, human: number): number {
  return rho >= 1 ? human : Math.round((rho / (1 - rho)) * human);
}

function closedTests(key: WatermarkKey, outputs: Doc[], filter: WindowSet | undefined, controls: WatermarkKey[]) {
  const test = new ClosedModeTest([key], { filter, controls, alpha: 1e-5 });
  for (const d of outputs) test.excludePrompt(d.prompt);
  for (const d of outputs) test.readCompletion(d.text, d.prompt);
  return test.result();
}

function readingTest(student: KneserNeyModel, key: WatermarkKey, texts: Doc[], cap: number, controls: WatermarkKey[]) {
  const test = new ReadingModeTest(kneserNeyTopK(student), [key], { controls, topK: TOP_K, alpha: 1e-5 });
  let n = 0;
  for (const d of texts) {
    if (n >= cap) break;
    // Prompt positions are read too (they carry no watermark): the committed results were measured so.
    test.readText(concatIds(d.prompt, d.text));
    n += d.text.length;
  }
  return test.result();
}

const rows: Record<string, unknown>[] = [];
const controlsOut: Record<string, unknown> = {};

async function main(): Promise<void> {
  const teacher = await loadOrTrainReferenceModel({ order: 4 });
  const allHuman = corpusTokenStreams();
  const human = firstTokens(allHuman, CFG.human);
  const prompts = heldOutPrompts({ count: 4000, promptTokens: PROMPT_TOKENS, seed: 7 });
  const trainPrompts = prompts.slice(0, 3000);
  const otherPrompts = prompts.slice(3000);
  log(`teacher order 4, ${CFG.human} human tokens, students order ${STUDENT_ORDER}`);
  const maxTeacher = Math.max(...CFG.rhos.map((r) => teacherTokens(r, CFG.human)));
  const nullClosed: {
    key: number;
    h: number;
    filteredLog10: number;
    readingLog10: number;
    argmaxLog10: number;
    unfilteredLog10: number;
    unsupervisedReadingLog10: number;
    unsupervisedArgmaxLog10: number;
  }[] = [];

  for (const h of CFG.windows) {
    for (let k = 0; k < CFG.keys; k++) {
      const key = generateKey({ window: h });
      const controls = h === 2 ? Array.from({ length: CFG.controls }, () => generateKey({ window: h })) : [];
      const rng = seededRandom(1000 * h + k);
      const pool = await generate(teacher, trainPrompts, maxTeacher, key, rng);
      const unsup = await generate(teacher, otherPrompts, CFG.unsup, key, rng);
      log(`h=${h} key ${k}: ${maxTeacher} watermarked teacher tokens`);
      for (const rho of CFG.rhos) {
        const wm = takeDocs(pool, teacherTokens(rho, CFG.human));
        const student = train(rho >= 1 ? [] : human, wm);
        const outputs = await generate(student, trainPrompts, CFG.suspect, null, rng, 17);
        const filter = WindowSet.fromTexts(
          wm.map((d) => concatIds(d.prompt, d.text)),
          h,
        );
        const unfiltered = closedTests(key, outputs, undefined, controls);
        const filtered = closedTests(key, outputs, filter, controls);
        const supervised = readingTest(student, key, wm, CFG.read, controls);
        const unsupervised = readingTest(student, key, unsup, CFG.unsup, controls);
        const row = {
          h,
          key: k,
          rho,
          teacherTokens: wm.reduce((a, d) => a + d.text.length, 0),
          closedUnfiltered: pick(unfiltered),
          closedFiltered: pick(filtered),
          openSupervised: pick(supervised.greenMass),
          openSupervisedArgmax: pick(supervised.argmax),
          openUnsupervised: pick(unsupervised.greenMass),
          openUnsupervisedArgmax: pick(unsupervised.argmax),
        };
        rows.push(row);
        writeOut(); // partial results survive an interrupted run
        log(
          `h=${h} key ${k} rho=${rho}: closed ${unfiltered.log10PValue.toFixed(1)} filtered ${filtered.log10PValue.toFixed(1)} (${filtered.scored}) open-sup ${supervised.greenMass.log10PValue.toFixed(1)} (argmax ${supervised.argmax.log10PValue.toFixed(1)}) open-unsup ${unsupervised.greenMass.log10PValue.toFixed(1)}`,
        );
      }
      // Control: a student trained on the teacher's UNWATERMARKED outputs, tested with the true key
      // (filtered closed mode and reading mode choose positions with K-dependent text).
      if (h === 2) {
        const rho = 0.1;
        const clean = await generate(teacher, trainPrompts, teacherTokens(rho, CFG.human), null, rng);
        const wm = takeDocs(pool, teacherTokens(rho, CFG.human));
        const student = train(human, clean);
        const outputs = await generate(student, trainPrompts, CFG.suspect, null, rng, 17);
        const filter = WindowSet.fromTexts(
          wm.map((d) => concatIds(d.prompt, d.text)),
          h,
        );
        const reading = readingTest(student, key, wm, CFG.read, []);
        const unsupReading = readingTest(student, key, unsup, CFG.unsup, []);
        nullClosed.push({
          key: k,
          h,
          unfilteredLog10: closedTests(key, outputs, undefined, []).log10PValue,
          filteredLog10: closedTests(key, outputs, filter, []).log10PValue,
          readingLog10: reading.greenMass.log10PValue,
          argmaxLog10: reading.argmax.log10PValue,
          unsupervisedReadingLog10: unsupReading.greenMass.log10PValue,
          unsupervisedArgmaxLog10: unsupReading.argmax.log10PValue,
        });
        log(`null (clean-teacher student) key ${k}: ${JSON.stringify(nullClosed.at(-1))}`);
        // Control: the unmodified teacher continuing watermarked prompts (closed mode).
        if (k === 0) controlsOut.teacherOnWatermarkedPrompts = await teacherPromptControl(teacher, key, pool, rng);
      }
    }
  }
  controlsOut.cleanTeacherStudents = nullClosed;
  if (cleanStudentRuns) controlsOut.cleanStudents = await cleanStudents(allHuman, prompts);
  writeOut(true);
}

async function teacherPromptControl(teacher: KneserNeyModel, key: WatermarkKey, pool: Doc[], rng: RandomSource) {
  // Prompts are 64-token slices of watermarked texts; the teacher continues them without a watermark.
  const prompts = pool.slice(0, quick ? 300 : 2000).map((d) => concatIds(d.prompt, d.text).subarray(0, 64));
  const outputs = await generate(teacher, prompts, quick ? 50_000 : 300_000, null, rng);
  const excluded = closedTests(key, outputs, undefined, []);
  const test = new ClosedModeTest([key]);
  for (const d of outputs) test.readCompletion(d.text, d.prompt);
  const notExcluded = test.result();
  log(
    `teacher on watermarked prompts: log10 p ${excluded.log10PValue.toFixed(2)} with prompt exclusion, ${notExcluded.log10PValue.toFixed(2)} without`,
  );
  return { withExclusion: pick(excluded), withoutExclusion: pick(notExcluded) };
}

async function cleanStudents(allHuman: Uint32Array[], prompts: Uint32Array[]) {
  const key = generateKey({ window: 2 });
  const log10s: number[] = [];
  const randomized: number[] = [];
  const zs: number[] = [];
  const unsup = await generate(await loadOrTrainReferenceModel({ order: 4 }), prompts.slice(3000), CFG.unsup, key, seededRandom(99));
  const u = seededRandom(5);
  for (let i = 0; i < CFG.cleanStudents; i++) {
    const rng = seededRandom(7000 + i);
    const student = train(firstTokens(allHuman, CFG.cleanHuman, rng), []);
    const outputs = await generate(student, prompts, quick ? 30_000 : 200_000, null, rng, 100 * i);
    const r = closedTests(key, outputs, undefined, []);
    log10s.push(r.log10PValue);
    randomized.push(randomizedBinomialPValue(r.green, r.scored, r.gamma, u()));
    zs.push(readingTest(student, key, unsup, CFG.read / 4, []).greenMass.keys[0]!.z);
  }
  const ks = ksUniformTest(randomized);
  log(`${CFG.cleanStudents} clean students: KS p = ${ks.pValue.toPrecision(3)}; min log10 p ${Math.min(...log10s).toFixed(2)}`);
  return { count: CFG.cleanStudents, closedLog10PValues: log10s, ksRandomizedPValue: ks.pValue, readingZ: zs };
}

function pick(r: { log10PValue: number; scored: number; green: number; controls?: { ks: { pValue: number }; rejected: number } }) {
  return {
    log10PValue: r.log10PValue,
    scored: r.scored,
    green: r.green,
    controlsKs: r.controls?.ks.pValue,
    controlsRejected: r.controls?.rejected,
  };
}

function writeOut(final = false): void {
  const modes = [
    'closedUnfiltered',
    'closedFiltered',
    'openSupervised',
    'openSupervisedArgmax',
    'openUnsupervised',
    'openUnsupervisedArgmax',
  ];
  const medians: Record<string, unknown>[] = [];
  for (const h of CFG.windows) {
    for (const rho of CFG.rhos) {
      const sel = rows.filter((r) => r.h === h && r.rho === rho);
      const m: Record<string, unknown> = { h, rho };
      for (const mode of modes) m[mode] = median(sel.map((r) => (r[mode] as { log10PValue: number }).log10PValue));
      medians.push(m);
    }
  }
  const controlKs = rows.flatMap((r) =>
    modes.map((mode) => (r[mode] as { controlsKs?: number }).controlsKs).filter((x): x is number => x !== undefined),
  );
  const out = {
    quick,
    complete: final,
    config: CFG,
    studentOrder: STUDENT_ORDER,
    topK: TOP_K,
    seconds: (performance.now() - t0) / 1000,
    medians,
    wrongKeyControlKsPValues: controlKs,
    controls: controlsOut,
    rows,
  };
  const suffix = (windowsArg > 0 ? `-h${CFG.windows.join('-')}` : '') + (argValue('--unsup') ? `-unsup${CFG.unsup}` : '');
  writeFileSync(join(RESULTS_DIR, `${quick ? 'distillation-quick' : 'distillation'}${suffix}.json`), `${JSON.stringify(out, null, 1)}\n`);
  if (!final) return;
  console.log('h  rho     closed  filtered  open-sup (argmax)  open-unsup (argmax)');
  for (const m of medians) {
    const f = (k: string) => (m[k] as number).toFixed(1).padStart(7);
    console.log(
      `${m.h}  ${String(m.rho).padEnd(6)} ${f('closedUnfiltered')} ${f('closedFiltered')} ${f('openSupervised')} (${f('openSupervisedArgmax')}) ${f('openUnsupervised')} (${f('openUnsupervisedArgmax')})`,
    );
  }
}

await main();
