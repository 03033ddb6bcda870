// Neural students (issue #15): does the watermark of an o200k teacher survive into a small
// transformer with another tokenizer (cl100k), distilled from a share rho of its outputs?
// Pretrain one base student on human text (PyTorch, cached in runs/), fine-tune copies on
// mixtures per (key, rho) and on unwatermarked controls, export to ONNX, then run the closed
// (unfiltered, filtered) and open (supervised, unsupervised) tests from TypeScript with 20
// wrong-key controls each, and the true-key null check on the control students.
// Run: npm run bench:students [-- --quick]   (needs python3-torch, python3-onnx; README.md)
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../src/base/rng.js';
import { concatIds } from '../../src/base/token-ids.js';
import { generateKey, type WatermarkKey } from '../../src/key/key.js';
import { getTokenizer } from '../../src/key/tokenizer.js';
import { heldOutPrompts } from '../../src/node/heldout-prompts.js';
import { loadOrTrainReferenceModel } from '../../src/node/model-cache.js';
import { ClosedModeTest } from '../../src/radioactivity/closed-mode.js';
import { ReadingModeTest } from '../../src/radioactivity/reading-mode.js';
import type { RadioactivityReport } from '../../src/radioactivity/report.js';
import { WindowSet } from '../../src/windows/window-filter.js';
import { median, RESULTS_DIR } from '../lib/timing.js';
import {
  buildMixture,
  humanChunks,
  STUDENT_TOKENIZER,
  TEACHER_TOKENIZER,
  teacherDocs,
  writeTokenFile,
  type Mixture,
  type TeacherDoc,
} from './prepare-data.js';
import { CrossTokenizerTopK, OnnxStudent } from './onnx-student.js';

const quick = process.argv.includes('--quick');
const HERE = dirname(fileURLToPath(import.meta.url));
// The base student is the same for quick and full runs (key-independent, cached).
const BASE = { pretrainTokens: 40_000, epochs: 1, layers: 2, dModel: 64, heads: 2, context: 64, batch: 8, lr: 3e-3 };
const CFG = quick
  ? {
      keys: 2,
      rhos: [0, 0.2, 1],
      controlRhos: [1],
      finetuneTokens: 2000,
      epochs: 3,
      closedPrompts: 32,
      closedTokens: 64,
      supervisedRead: 2000,
      unsupRead: 1000,
      controls: 20,
    }
  : {
      keys: 3,
      rhos: [0, 0.01, 0.05, 0.2, 1],
      controlRhos: [0.05, 0.2, 1],
      finetuneTokens: 2000,
      epochs: 5,
      closedPrompts: 32,
      closedTokens: 64,
      supervisedRead: 2000,
      unsupRead: 2000,
      controls: 20,
    };
const FT = { lr: quick ? 1e-3 : 2e-3, batch: 8, warmup: 5 };
const WINDOW = 2;
const TEXT_TOKENS = 128;
const PROMPT_TOKENS = 16;
const TOP_K = 32;
const t0 = performance.now();
const log = (s: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(0)}s] ${s}`);
const runDir = join(HERE, 'runs', quick ? 'quick' : 'full');
const student = getTokenizer(STUDENT_TOKENIZER);
const teacherTok = getTokenizer(TEACHER_TOKENIZER);

function python(args: string[]): void {
  const r = spawnSync(join(HERE, 'py'), args, { cwd: HERE, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`python ${args[0]} failed (${r.status})`);
}

interface Student {
  name: string;
  key: number | null; // index of the watermark key, null for controls and rho = 0
  rho: number;
  mixture: Mixture;
}

type Cell = { log10PValue: number; scored: number; green: number; controlsKs?: number; controlsRejected?: number };
const pick = (r: RadioactivityReport): Cell => ({
  log10PValue: r.log10PValue,
  scored: r.scored,
  green: r.green,
  controlsKs: r.controls?.ks.pValue,
  controlsRejected: r.controls?.rejected,
});

async function main(): Promise<void> {
  mkdirSync(runDir, { recursive: true });
  const teacher = await loadOrTrainReferenceModel({ order: 4 });
  const prompts = heldOutPrompts({ count: 2000, promptTokens: PROMPT_TOKENS, seed: 11 });
  const trainPrompts = prompts.slice(0, 1500);
  const otherPrompts = prompts.slice(1500);
  const keys = Array.from({ length: CFG.keys }, () => generateKey({ window: WINDOW }));
  const wrongKeys = keys.map(() => Array.from({ length: CFG.controls }, () => generateKey({ window: WINDOW })));
  const rng = seededRandom(quick ? 15 : 1515);
  // Teacher tokens (o200k) per pool: enough for the largest share after re-tokenisation.
  const poolTokens = Math.ceil(CFG.finetuneTokens * 1.2);
  const human = humanChunks('train', BASE.pretrainTokens + CFG.finetuneTokens);
  const pretrainHuman = takeTokens(human, BASE.pretrainTokens);
  const finetuneHuman = human.slice(pretrainHuman.length);

  // Data: pools per key, the control pool, unsupervised texts, mixtures.
  const pools: TeacherDoc[][] = [];
  const unsup: TeacherDoc[][] = [];
  for (const key of keys) {
    pools.push(await teacherDocs(teacher, trainPrompts, poolTokens, key, rng, TEXT_TOKENS));
    unsup.push(await teacherDocs(teacher, otherPrompts, CFG.unsupRead, key, rng, TEXT_TOKENS));
  }
  const cleanPool = await teacherDocs(teacher, trainPrompts, poolTokens, null, rng, TEXT_TOKENS);
  log(`teacher texts: ${keys.length} watermarked pools + 1 clean pool of ${poolTokens} o200k tokens`);
  const students: Student[] = [];
  for (const rho of CFG.rhos) {
    if (rho === 0) students.push({ name: 'rho0', key: null, rho, mixture: buildMixture([], finetuneHuman, 0, CFG.finetuneTokens, rng) });
    else
      keys.forEach((_, k) =>
        students.push({
          name: `k${k}-wm-${rho}`,
          key: k,
          rho,
          mixture: buildMixture(pools[k]!, finetuneHuman, rho, CFG.finetuneTokens, rng),
        }),
      );
  }
  for (const rho of CFG.controlRhos)
    students.push({ name: `plain-${rho}`, key: null, rho, mixture: buildMixture(cleanPool, finetuneHuman, rho, CFG.finetuneTokens, rng) });
  for (const s of students)
    writeTokenFile(join(runDir, `${s.name}.u32`), s.mixture.docs, {
      rho: s.rho,
      key: s.key,
      watermarked: s.key !== null,
      teacherTokens: s.mixture.teacherTokens,
    });

  const base = await pretrainBase(teacher, trainPrompts);
  const jobs: string[][] = [];
  for (const s of students) {
    const pt = join(runDir, `${s.name}.pt`);
    jobs.push([
      'finetune',
      base,
      join(runDir, `${s.name}.u32`),
      '-o',
      pt,
      '--epochs',
      String(CFG.epochs),
      '--lr',
      String(FT.lr),
      '--batch',
      String(FT.batch),
      '--warmup',
      String(FT.warmup),
      '--log-every',
      '1000',
    ]);
    jobs.push(['export', pt, '-o', join(runDir, `${s.name}.onnx`), '--last-only']);
  }
  writeFileSync(join(runDir, 'jobs.json'), JSON.stringify(jobs));
  log(`fine-tuning and exporting ${students.length} students; each is tested as soon as it is exported`);
  const ready = exportedOneByOne(join(runDir, 'jobs.json'));

  const rows: Record<string, unknown>[] = [];
  const controls: Record<string, unknown>[] = [];
  for (const s of students) {
    const onnxPath = join(runDir, `${s.name}.onnx`);
    await ready(onnxPath);
    const onnx = await OnnxStudent.load(onnxPath);
    const tested = s.key === null ? keys.map((_, k) => k) : [s.key];
    for (const k of tested) {
      const wmTexts =
        s.key === null && s.rho > 0
          ? buildMixture(pools[k]!, finetuneHuman, s.rho, CFG.finetuneTokens, seededRandom(1)).teacherTexts
          : s.mixture.teacherTexts;
      const wrong = s.key === null ? [] : wrongKeys[k]!;
      const cells = await testStudent(onnx, keys[k]!, wrong, trainPrompts, wmTexts, unsup[k]!, rng);
      if (s.name.startsWith('plain')) {
        for (const [test, c] of Object.entries(cells))
          controls.push({ student: s.name, rho: s.rho, key: k, test, log10PValue: c.log10PValue, scored: c.scored });
      } else rows.push({ key: k, rho: s.rho, teacherTokens: s.mixture.teacherTokens, ...cells });
      log(
        `${s.name} key ${k}: ${Object.entries(cells)
          .map(([n, c]) => `${n} ${c.log10PValue.toFixed(2)} (${c.scored})`)
          .join(', ')}`,
      );
      writeOut(rows, controls, false);
    }
  }
  writeOut(rows, controls, true);
}

/** Runs batch.py in the background; the returned function waits until one ONNX file is exported. */
function exportedOneByOne(jobsFile: string): (onnx: string) => Promise<void> {
  const done = new Set<string>();
  const waiting = new Map<string, () => void>();
  let failed: Error | null = null;
  let exited = false;
  const child = spawn(join(HERE, 'py'), ['batch.py', jobsFile], { cwd: HERE, stdio: ['ignore', 'pipe', 'inherit'] });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const m = JSON.parse(line) as { done?: string; onnx?: string; argv?: string[] };
    if (m.done !== 'export' || !m.argv) return;
    const path = m.argv[m.argv.indexOf('-o') + 1]!;
    done.add(path);
    waiting.get(path)?.();
  });
  child.on('exit', (code) => {
    exited = true;
    if (code !== 0) failed = new Error(`batch.py failed (${code})`);
    for (const w of waiting.values()) w();
  });
  return async (onnx) => {
    while (!done.has(onnx)) {
      if (failed) throw failed;
      if (exited) throw new Error(`batch.py ended without exporting ${onnx}`);
      await new Promise<void>((resolve) => waiting.set(onnx, resolve));
    }
  };
}

function takeTokens(chunks: Uint32Array[], total: number): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (let n = 0, i = 0; n < total && i < chunks.length; i++) {
    out.push(chunks[i]!);
    n += chunks[i]!.length;
  }
  return out;
}

async function pretrainBase(teacher: Parameters<typeof teacherDocs>[0], trainPrompts: Uint32Array[]): Promise<string> {
  const tag = createHash('sha256').update(JSON.stringify(BASE)).digest('hex').slice(0, 12);
  const dir = join(HERE, 'runs', `base-${tag}`);
  const pt = join(dir, 'base.pt');
  if (existsSync(pt)) return pt;
  mkdirSync(dir, { recursive: true });
  writeTokenFile(join(dir, 'human.u32'), humanChunks('train', BASE.pretrainTokens), { source: 'embedded corpora, train split' });
  writeTokenFile(join(dir, 'heldout.u32'), humanChunks('heldout', 5000), { source: 'embedded corpora, held-out split' });
  // The teacher's (unwatermarked) vocabulary joins the compact vocabulary, key-independently.
  const sample = await teacherDocs(teacher, trainPrompts, 20_000, null, seededRandom(3), TEXT_TOKENS);
  writeTokenFile(
    join(dir, 'teacher-vocab.u32'),
    sample.map((d) => d.studentIds),
    { source: 'unwatermarked teacher sample (vocabulary only)' },
  );
  const steps = Math.ceil((BASE.epochs * BASE.pretrainTokens) / (BASE.batch * BASE.context));
  log(`pretraining the base student: ${BASE.pretrainTokens} tokens, ${steps} steps`);
  python([
    'pretrain.py',
    join(dir, 'human.u32'),
    '--vocab-from',
    join(dir, 'teacher-vocab.u32'),
    '--heldout',
    join(dir, 'heldout.u32'),
    '-o',
    pt,
    '--layers',
    String(BASE.layers),
    '--d-model',
    String(BASE.dModel),
    '--heads',
    String(BASE.heads),
    '--context',
    String(BASE.context),
    '--batch',
    String(BASE.batch),
    '--steps',
    String(steps),
    '--warmup',
    '10',
    '--lr',
    String(BASE.lr),
    '--log-every',
    '50',
  ]);
  return pt;
}

async function testStudent(
  onnx: OnnxStudent,
  key: WatermarkKey,
  wrong: WatermarkKey[],
  trainPrompts: Uint32Array[],
  wmTexts: Uint32Array[],
  unsupDocs: TeacherDoc[],
  rng: () => number,
) {
  // Closed mode: the student's own completions of training-like prompts.
  const prompts = trainPrompts.slice(0, CFG.closedPrompts);
  const completions = await onnx.complete(
    prompts.map((p) => student.encode(teacherTok.decode(p))),
    CFG.closedTokens,
    rng,
  );
  const outputs = completions.map((c, i) => ({ prompt: prompts[i]!, text: teacherTok.encode(student.decode(c)) }));
  const closed = (filter?: WindowSet) => {
    const test = new ClosedModeTest([key], { filter, controls: wrong, alpha: 1e-5 });
    for (const d of outputs) test.excludePrompt(d.prompt);
    for (const d of outputs) test.readCompletion(d.text, d.prompt);
    return pick(test.result());
  };
  const reading = async (texts: Uint32Array[], cap: number) => {
    const predictor = new CrossTokenizerTopK(onnx, TOP_K);
    const test = new ReadingModeTest(predictor, [key], { controls: wrong, topK: TOP_K, alpha: 1e-5 });
    let n = 0;
    for (const t of texts) {
      if (n >= cap) break;
      await predictor.prepare(t, WINDOW);
      test.readText(t);
      n += t.length;
    }
    return pick(test.result().greenMass);
  };
  return {
    closed: closed(),
    closedFiltered: closed(WindowSet.fromTexts(wmTexts, WINDOW)),
    openSupervised: await reading(wmTexts, CFG.supervisedRead),
    openUnsupervised: await reading(
      unsupDocs.map((d) => concatIds(d.prompt, d.text)),
      CFG.unsupRead,
    ),
  };
}

function writeOut(rows: Record<string, unknown>[], controls: Record<string, unknown>[], complete: boolean): void {
  const tests = ['closed', 'closedFiltered', 'openSupervised', 'openUnsupervised'] as const;
  const medians = CFG.rhos.map((rho) => {
    const sel = rows.filter((r) => r.rho === rho);
    const m: Record<string, number> = { rho, keysDone: sel.length };
    for (const t of tests) m[t] = median(sel.map((r) => (r[t] as Cell).log10PValue));
    return m;
  });
  const out = {
    quick,
    complete,
    config: {
      window: WINDOW,
      studentTokenizer: STUDENT_TOKENIZER,
      teacherTokenizer: TEACHER_TOKENIZER,
      teacher: 'embedded Kneser-Ney reference model, order 4 (o200k_base)',
      architecture: {
        type: 'decoder-only transformer (CompactLM), full-vocabulary ONNX',
        layers: BASE.layers,
        dModel: BASE.dModel,
        heads: BASE.heads,
        context: BASE.context,
      },
      tokens: {
        pretrain: BASE.pretrainTokens,
        pretrainEpochs: BASE.epochs,
        finetune: CFG.finetuneTokens,
        finetuneEpochs: CFG.epochs,
        teacherTextTokens: TEXT_TOKENS,
      },
      finetune: FT,
      ...CFG,
      topK: TOP_K,
    },
    seconds: (performance.now() - t0) / 1000,
    medians,
    wrongKeyControlKsPValues: rows.flatMap((r) => tests.map((t) => (r[t] as Cell).controlsKs).filter((x): x is number => x !== undefined)),
    controls,
    rows,
  };
  writeFileSync(join(RESULTS_DIR, quick ? 'students-quick.json' : 'students.json'), `${JSON.stringify(out, null, 1)}\n`);
}

await main();
