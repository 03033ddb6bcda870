// Power of unsupervised reading (open model, the teacher's *other* watermarked texts read through
// the suspect) at rho = 2%, h = 2: the plain green mass against the excess green mass over a clean
// reference model (the teacher's own unwatermarked model, or a model trained on disjoint human
// text), on the same positions, fresh keys. Null checks: wrong-key controls (KS), the true key on
// students trained on the teacher's unwatermarked outputs and on human-only students.
// Run: npx tsx benchmarks/unsupervised-power.bench.ts [--quick] [--keys N] [--unsup N] [--clean N]
// True-key null sweep (many fresh keys, one human-only student, short readings):
//      npx tsx benchmarks/unsupervised-power.bench.ts --null-only [--quick] [--null-keys M] [--null-tokens T]
// (writes results/unsupervised-power-null[-quick][-tT].json; -tT only when --null-tokens is given)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey, type WatermarkKey } from '../src/key/key.js';
import type { KneserNeyModel } from '../src/model/kneser-ney-model.js';
import { corpusTokenStreams } from '../src/node/corpora.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import { loadOrTrainReferenceModel } from '../src/node/model-cache.js';
import { kneserNeyTopK } from '../src/radioactivity/kneser-ney-top-k.js';
import { ReadingModeTest } from '../src/radioactivity/reading-mode.js';
import { referenceFromModel, type ReferenceModel } from '../src/radioactivity/reference-model.js';
import type { TopKPredictor } from '../src/radioactivity/top-k.js';
import { seededRandom, type RandomSource } from '../src/base/rng.js';
import { ksUniformTest } from '../src/stats/index.js';
import { normalUpperTail } from '../src/stats/normal-tail.js';
import { createWatermark } from '../src/watermark/watermark.js';
import { median, RESULTS_DIR } from './lib/timing.js';
import { firstTokens, generateDocs, takeDocs, trainStudent, type Doc } from './lib/distillation-docs.js';
import { concatIds } from '../src/base/token-ids.js';

const quick = process.argv.includes('--quick');
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const CFG = {
  human: 2_000_000,
  rho: 0.02,
  window: 2,
  keys: Number(argValue('--keys') ?? (quick ? 2 : 9)),
  unsup: Number(argValue('--unsup') ?? (quick ? 100_000 : 400_000)),
  controls: 20,
  topK: 32,
  alpha: 1e-5,
  studentOrder: 3,
  /** Human-only students (random human subsets), each read with the true key of one key's texts. */
  cleanHumanStudents: Number(argValue('--clean') ?? (quick ? 1 : 5)),
  /** Null sweep: fresh keys, tokens read per key. */
  nullKeys: Number(argValue('--null-keys') ?? (quick ? 8 : 40)),
  nullTokens: Number(argValue('--null-tokens') ?? 15_000),
};
const nullOnly = process.argv.includes('--null-only');
const VOCAB = 200_019;
const TEXT_TOKENS = 256;
const PROMPT_TOKENS = 16;
const STATISTICS = ['greenMass', 'excessOverTeacher', 'excessOverDisjointHuman'] as const;
type Statistic = (typeof STATISTICS)[number];
const t0 = performance.now();
const log = (s: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(0)}s] ${s}`);

/** Records the suspect's top-k at each call of the first test and replays it in the next ones (same positions). */
class ReplayTopK implements TopKPredictor {
  readonly vocabSize: number;
  private tokens: Uint32Array[] = [];
  private probs: Float64Array[] = [];
  private lengths: number[] = [];
  private cursor = -1;
  constructor(private readonly inner: TopKPredictor) {
    this.vocabSize = inner.vocabSize;
  }
  replay(): void {
    this.cursor = 0;
  }
  topK(context: ArrayLike<number>, k: number, tokens: Uint32Array, probs: Float64Array): number {
    if (this.cursor < 0) {
      const n = this.inner.topK(context, k, tokens, probs);
      this.tokens.push(tokens.slice(0, n));
      this.probs.push(probs.slice(0, n));
      this.lengths.push(context.length);
      return n;
    }
    const i = this.cursor++;
    if (this.lengths[i] !== context.length) throw new Error('replay out of step');
    tokens.set(this.tokens[i]!);
    probs.set(this.probs[i]!);
    return this.tokens[i]!.length;
  }
}

interface Outcome {
  log10PValue: number;
  z: number;
  scored: number;
  tokensRead: number;
  controlsKs?: number;
  controlsRejected?: number;
  controlsMinLog10?: number;
}

function readAll(
  suspect: KneserNeyModel,
  key: WatermarkKey,
  texts: Doc[],
  controls: WatermarkKey[],
  references: Record<Exclude<Statistic, 'greenMass'>, ReferenceModel>,
  cap = CFG.unsup,
): Record<Statistic, Outcome> {
  const predictor = new ReplayTopK(kneserNeyTopK(suspect));
  const out = {} as Record<Statistic, Outcome>;
  for (const statistic of STATISTICS) {
    const reference = statistic === 'greenMass' ? undefined : references[statistic];
    const test = new ReadingModeTest(predictor, [key], { controls, topK: CFG.topK, alpha: CFG.alpha, reference });
    for (const d of texts) {
      const ids = concatIds(d.prompt, d.text); // prompt positions too, as in distillation.bench.ts
      if (test.tokens + ids.length > cap) break; // at most CFG.unsup tokens read, prompts included
      test.readText(ids);
    }
    const r = test.result().greenMass;
    const c = r.controls;
    out[statistic] = {
      log10PValue: r.log10PValue,
      z: r.keys[0]!.z,
      scored: r.scored,
      tokensRead: r.tokens,
      ...(c
        ? {
            controlsKs: c.ks.pValue,
            controlsRejected: c.rejected,
            controlsMinLog10: Math.min(...c.log10PValues),
          }
        : {}),
    };
    predictor.replay();
  }
  return out;
}

const generate = (model: KneserNeyModel, prompts: Uint32Array[], total: number, key: WatermarkKey | null, rng: RandomSource) =>
  generateDocs(model, prompts, total, rng, { watermark: key ? createWatermark(key, { vocabSize: VOCAB }) : null, textTokens: TEXT_TOKENS });

const rows: Record<string, unknown>[] = [];
const nulls: Record<string, unknown>[] = [];

async function main(): Promise<void> {
  const teacher = await loadOrTrainReferenceModel({ order: 4 });
  const allHuman = corpusTokenStreams();
  const human = firstTokens(allHuman, CFG.human);
  const disjoint = restAfter(allHuman, CFG.human);
  const references = {
    excessOverTeacher: referenceFromModel(teacher),
    excessOverDisjointHuman: referenceFromModel(trainStudent(disjoint, [], CFG.studentOrder, VOCAB)),
  };
  const prompts = heldOutPrompts({ count: 4000, promptTokens: PROMPT_TOKENS, seed: 7 });
  const trainPrompts = prompts.slice(0, 3000);
  const otherPrompts = prompts.slice(3000);
  const wmTokens = Math.round((CFG.rho / (1 - CFG.rho)) * CFG.human);
  if (nullOnly) return nullSweep(teacher, human, references, otherPrompts);
  log(`teacher order 4; students order ${CFG.studentOrder} on ${CFG.human} human + ${wmTokens} teacher tokens; reading ${CFG.unsup}`);
  for (let k = 0; k < CFG.keys; k++) {
    const key = generateKey({ window: CFG.window });
    const controls = Array.from({ length: CFG.controls }, () => generateKey({ window: CFG.window }));
    const rng = seededRandom(Number(BigInt.asUintN(32, BigInt(Date.now()) * 2654435761n)) + k);
    const wm = takeDocs(await generate(teacher, trainPrompts, wmTokens, key, rng), wmTokens);
    const unsup = await generate(teacher, otherPrompts, CFG.unsup, key, rng); // prompts included, a little less is read
    const student = trainStudent(human, wm, CFG.studentOrder, VOCAB);
    const row = { key: k, ...readAll(student, key, unsup, controls, references) };
    rows.push(row);
    log(
      `key ${k}: ${STATISTICS.map((s) => `${s} ${row[s].log10PValue.toFixed(2)} (z ${row[s].z.toFixed(2)}, KS ${row[s].controlsKs?.toFixed(2)})`).join(' | ')}`,
    );
    // Null: a student trained on the teacher's UNWATERMARKED outputs at the same share, true key.
    // Own RNG streams: the shared one's state after watermarked sampling depends on the key.
    const nullRng = seededRandom(Number(BigInt.asUintN(32, BigInt(Date.now()) * 40503n)) + k);
    const cleanTeacher = trainStudent(human, await generate(teacher, trainPrompts, wmTokens, null, nullRng), CFG.studentOrder, VOCAB);
    pushNull('cleanTeacherStudent', k, readAll(cleanTeacher, key, unsup, [], references));
    if (k < CFG.cleanHumanStudents) {
      // Null: a human-only student on a random subset of the human text, true key.
      const cleanHuman = trainStudent(firstTokens(allHuman, CFG.human, nullRng), [], CFG.studentOrder, VOCAB);
      pushNull('humanOnlyStudent', k, readAll(cleanHuman, key, unsup, [], references));
    }
    writeOut(false);
  }
  writeOut(true);
}

/** The true key on a human-only student, many fresh keys, short readings: the z-scores must be N(0, 1). */
async function nullSweep(
  teacher: KneserNeyModel,
  human: Uint32Array[],
  references: Record<Exclude<Statistic, 'greenMass'>, ReferenceModel>,
  prompts: Uint32Array[],
): Promise<void> {
  const student = trainStudent(human, [], CFG.studentOrder, VOCAB);
  const outcomes: Record<Statistic, Outcome>[] = [];
  for (let k = 0; k < CFG.nullKeys; k++) {
    const key = generateKey({ window: CFG.window });
    const rng = seededRandom(Number(BigInt.asUintN(32, BigInt(Date.now()) * 2246822519n)) + k);
    const offset = Math.floor(rng() * prompts.length);
    const texts = await generateDocs(teacher, prompts, CFG.nullTokens, rng, {
      watermark: createWatermark(key, { vocabSize: VOCAB }),
      textTokens: TEXT_TOKENS,
      offset,
    });
    outcomes.push(readAll(student, key, texts, [], references, CFG.nullTokens));
    if (k % 5 === 4) log(`null sweep: ${k + 1} keys`);
  }
  const summary: Record<string, unknown> = {};
  for (const s of STATISTICS) {
    const zs = outcomes.map((o) => o[s].z);
    const ps = outcomes.map((o) => o[s].log10PValue);
    summary[s] = {
      meanZ: zs.reduce((a, b) => a + b, 0) / zs.length,
      ksOfNormalPValues: ksUniformTest(zs.map((z) => normalUpperTail(z))).pValue,
      normalPBelow005: zs.filter((z) => normalUpperTail(z) <= 0.05).length,
      boundPBelow005: ps.filter((p) => p <= Math.log10(0.05)).length,
      minLog10PValue: Math.min(...ps),
      zs,
    };
    log(`null sweep ${s}: ${JSON.stringify({ ...(summary[s] as object), zs: undefined })}`);
  }
  const out = { quick, complete: true, config: CFG, seconds: (performance.now() - t0) / 1000, keys: CFG.nullKeys, summary };
  const suffix = `${quick ? '-quick' : ''}${argValue('--null-tokens') ? `-t${CFG.nullTokens}` : ''}`;
  writeFileSync(join(RESULTS_DIR, `unsupervised-power-null${suffix}.json`), `${JSON.stringify(out, null, 1)}\n`);
}

function pushNull(kind: string, key: number, r: Record<Statistic, Outcome>): void {
  nulls.push({ kind, key, ...r });
  log(`null ${kind} key ${key}: ${STATISTICS.map((s) => `${s} ${r[s].log10PValue.toFixed(2)} (z ${r[s].z.toFixed(2)})`).join(' | ')}`);
}

function restAfter(streams: Uint32Array[], skip: number): Uint32Array[] {
  const out: Uint32Array[] = [];
  let n = 0;
  for (const s of streams) {
    if (n >= skip) out.push(s);
    else if (n + s.length > skip) out.push(s.subarray(skip - n));
    n += s.length;
  }
  return out;
}

function writeOut(final: boolean): void {
  const summary: Record<string, unknown> = {};
  for (const s of STATISTICS) {
    const get = (r: Record<string, unknown>) => r[s] as Outcome;
    const nullOutcomes = nulls.map(get);
    // Each key's KS p-value (of its 20 controls' Phi(-z)) is itself uniform under H0: KS of those.
    const uniforms = rows.map((r) => get(r).controlsKs).filter((p): p is number => p !== undefined && Number.isFinite(p));
    summary[s] = {
      medianLog10PValue: median(rows.map((r) => get(r).log10PValue)),
      perKeyLog10PValues: rows.map((r) => get(r).log10PValue),
      medianZ: median(rows.map((r) => get(r).z)),
      keysBelowAlpha: rows.filter((r) => get(r).log10PValue <= Math.log10(CFG.alpha)).length,
      wrongKeyControls: {
        count: rows.length * CFG.controls,
        ksOfPerKeyKsPValues: uniforms.length > 1 ? ksUniformTest(uniforms).pValue : null,
        perKeyKsPValues: rows.map((r) => get(r).controlsKs),
        rejectedAtAlpha: rows.reduce((a, r) => a + (get(r).controlsRejected ?? 0), 0),
        minLog10PValue: Math.min(...rows.map((r) => get(r).controlsMinLog10 ?? 0)),
      },
      trueKeyNull: {
        count: nullOutcomes.length,
        minLog10PValue: Math.min(0, ...nullOutcomes.map((o) => o.log10PValue)),
        below1e2: nullOutcomes.filter((o) => o.log10PValue <= -2).length,
        zs: nullOutcomes.map((o) => o.z),
        ksOfNormalPValues: nullOutcomes.length > 1 ? ksUniformTest(nullOutcomes.map((o) => normalUpperTail(o.z))).pValue : null,
      },
    };
  }
  const out = {
    quick,
    complete: final,
    config: CFG,
    seconds: (performance.now() - t0) / 1000,
    summary,
    rows,
    nulls,
  };
  writeFileSync(join(RESULTS_DIR, `unsupervised-power${quick ? '-quick' : ''}.json`), `${JSON.stringify(out, null, 1)}\n`);
  if (!final) return;
  console.log('statistic                 median log10 p  per key                      KS of control KS  true-key null min log10 p');
  for (const s of STATISTICS) {
    const m = summary[s] as {
      medianLog10PValue: number;
      perKeyLog10PValues: number[];
      wrongKeyControls: { ksOfPerKeyKsPValues: number | null };
      trueKeyNull: { minLog10PValue: number };
    };
    console.log(
      `${s.padEnd(25)} ${m.medianLog10PValue.toFixed(1).padStart(8)}  ${m.perKeyLog10PValues.map((x) => x.toFixed(1)).join(', ')}  ${m.wrongKeyControls.ksOfPerKeyKsPValues?.toFixed(3)}  ${m.trueKeyNull.minLog10PValue.toFixed(2)}`,
    );
  }
}

await main();
