// Account ids (32 bits) embedded in watermarked text: how well they are recovered vs text length,
// their quality cost, their false positives, and the speed of decoding and attribution.
// Run: npx tsx benchmarks/account-decoding.bench.ts [--quick]
//   -> benchmarks/results/account-decoding[-quick].json; a full run also rewrites the README
//      section between <!-- account-decoding --> and <!-- /account-decoding --> (nothing else).
//
// One provider key (default params: KGW, gamma 0.25, delta 2, LeftHash h = 2), the reference
// model (Kneser-Ney order 4, o200k_base) at temperature 1 (generateTokens, exact rejection
// path), 16-token held-out prompts, a fresh random account id per text. Decoding never knows
// the account: every test runs on a watermark of the same key created without one.
//  1. Lengths 100..800: blind decoding (decodeAccount), attribution against 10,000 candidates
//     that include the true id (attributeAccounts, Holm at 1e-6), zero-bit detection.
//  2. accountDelta 1, 2, 3 at 200 and 400 tokens: the same shares, and the perplexity of the
//     text under the order-5 reference model, next to the same prompts and sampler seeds with
//     no watermark and with the zero-bit watermark only (no account).
//  3. False positives: unwatermarked model text, held-out human text, zero-bit-only watermarked
//     text (400 tokens): significant blind decodes and significant candidates; calibration of
//     the innocent candidates' raw conditional p-values (threshold counts and KS, see below).
//  4. Timing: attributeAccounts with 1,000,000 candidates on one 400-token text.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWatermark, generateTokens, getTokenizer, ksUniformTest, loadOrTrainReferenceModel } from '../src/index.js';
import { heldOutDocuments } from '../src/node/corpora.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import { kolmogorovSmirnovPValue } from '../src/stats/index.js';
import { seededRandom } from '../src/base/rng.js';
import type { Watermark } from '../src/index.js';
import type { KneserNeyModel } from '../src/model/index.js';
import type { RandomSource } from '../src/base/rng.js';
import { DIGIT_SET_FRACTION } from '../src/accounts/account-marks.js';
import {
  log,
  mean,
  medianOf,
  proportion,
  QUICK,
  resultName,
  round,
  seededKey,
  since,
  standardError,
  type Proportion,
} from './lib/harness.js';
import { writeResult } from './lib/timing.js';

const ALPHA = 1e-6;
const PROMPT = 16;
const LENGTHS = [100, 150, 200, 300, 400, 600, 800];
const PER_LENGTH = QUICK ? 10 : 100;
const DELTAS = [1, 2, 3];
const DELTA_LENGTHS = [200, 400];
const PER_DELTA = QUICK ? 20 : 200;
const NULL_LENGTH = 400;
const PER_NULL = QUICK ? 10 : 100;
const CANDIDATES = 10_000;
const BIG_CANDIDATES = 1_000_000;
const BIG_REPS = QUICK ? 1 : 3;
const KS_TEXTS = QUICK ? 1 : 3; // per category
const THRESHOLDS = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6];
const KEY_SEED = 0xacc0_0001;

const startedAt = new Date().toISOString();
// The code measured: HEAD, and whether src/ differed from it when the run started.
const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};
const source = {
  commit: git('rev-parse', 'HEAD'),
  srcChanges: git('status', '--porcelain', '--', 'src')?.split('\n').filter(Boolean) ?? null,
};
const loadAtStart = loadavg();
const t0 = performance.now();
const model = await loadOrTrainReferenceModel({ order: 4 });
const rater = await loadOrTrainReferenceModel({ order: 5, onProgress: (e) => e.stage !== 'cache-hit' && log(e.message) });
log(`models ready (${since(t0)} s), load average ${loadAtStart.map((x) => x.toFixed(2)).join(' ')}`);

const KEY = seededKey({}, KEY_SEED); // default params
const detector = createWatermark(KEY, { vocabSize: model.vocabSize }); // knows no account
const zeroBit = detector; // generating with it embeds the zero-bit watermark only

const randomId = (rng: RandomSource) => Math.floor(rng() * 2 ** 32);

/** `count` distinct candidate ids: `truth` (when given) at a random place, the others random. */
function candidateList(rng: RandomSource, count: number, truth?: number): number[] {
  const set = new Set<number>();
  if (truth !== undefined) set.add(truth);
  while (set.size < count) set.add(randomId(rng));
  const ids = [...set];
  if (truth !== undefined) {
    const j = Math.floor(rng() * count);
    [ids[0], ids[j]] = [ids[j]!, ids[0]!];
  }
  return ids;
}

async function generate(prompt: Uint32Array, length: number, seed: number, wm: Watermark | null): Promise<Uint32Array> {
  const out: number[] = [];
  for await (const id of generateTokens(model, prompt, { maxTokens: length, watermark: wm, rng: seededRandom(seed) })) out.push(id);
  return Uint32Array.from(out);
}

/** Mean negative log-likelihood per token of `ids` after `prompt` under `m` (as quality.bench.ts). */
function nll(m: KneserNeyModel, prompt: Uint32Array, ids: Uint32Array): number {
  const all = new Uint32Array(prompt.length + ids.length);
  all.set(prompt);
  all.set(ids, prompt.length);
  let sum = 0;
  for (let t = prompt.length; t < all.length; t++) sum -= m.logProb(all.subarray(Math.max(0, t - m.order + 1), t), all[t]!);
  return sum / ids.length;
}

// ------------------------------------------------------------------ calibration accumulators
// Every innocent candidate's raw conditional p-value (all candidates of null texts; all but the
// true id on account-watermarked texts) is counted against THRESHOLDS. Under H0 the p-values are
// exact at the points of their (discrete) support and super-uniform in between:
// P(p <= u) <= u for every u, so each count must not exceed u times the number of p-values.
const calibration: Record<string, { pValues: number; atMost: number[]; minLog10P: number }> = {};
function countInnocents(bucket: string, log10ps: number[]): void {
  const c = (calibration[bucket] ??= { pValues: 0, atMost: THRESHOLDS.map(() => 0), minLog10P: 0 });
  for (const l of log10ps) {
    c.pValues++;
    c.minLog10P = Math.min(c.minLog10P, l);
    THRESHOLDS.forEach((u, j) => {
      if (l <= Math.log10(u)) c.atMost[j]!++;
    });
  }
}

/**
 * KS checks of one text's innocent p-values. `continuous`: the usual two-sided KS, which
 * assumes a continuous null and so flags discrete p-values once there are many (expected to
 * reject here). `atSupport`: sup |F_n(v) - v| over the attained values v only, where the null
 * CDF is exactly v; this is at most the KS distance to the true discrete null, whose law is
 * stochastically smaller than the continuous one, so its continuous KS p-value is valid but
 * conservative.
 */
function ksChecks(log10ps: number[]) {
  const ps = log10ps.map((l) => Math.min(1, 10 ** l)).sort((a, b) => a - b);
  const n = ps.length;
  const continuous = ksUniformTest(ps);
  let atSupport = 0;
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && ps[i + 1] === ps[i]) continue; // F_n(v) counts every p <= v
    distinct++;
    atSupport = Math.max(atSupport, Math.abs((i + 1) / n - ps[i]!));
  }
  return {
    n,
    distinctValues: distinct,
    continuous: { statistic: round(continuous.statistic), pValue: round(continuous.pValue) },
    atSupport: { statistic: round(atSupport), pValue: round(kolmogorovSmirnovPValue(atSupport, n)) },
    minLog10P: round(Math.min(...log10ps)),
  };
}
const ksRows: ({ category: string; text: number } & ReturnType<typeof ksChecks>)[] = [];

// ------------------------------------------------------------------ one watermarked text
interface TextResult {
  tuples: number;
  decode: {
    correct: boolean; // candidate === true id
    significant: boolean;
    log10P: number;
    anyId: number;
    thisId: number;
    tried: number;
    certified: boolean;
    ms: number;
  };
  attribution: { trueFirstSignificant: boolean; trueRank: number; trueAdjusted: number; significantInnocents: number; ms: number };
  /** Raw p-value of the true id tested alone (a one-candidate list), and its share of marked tuples. */
  verification: { log10P: number; markedFraction: number };
  detect: { log10P: number; greenFraction: number };
}

function testAccountText(ids: Uint32Array, prompt: Uint32Array, account: number, rng: RandomSource, ksTag?: string): TextResult {
  let t = performance.now();
  const d = detector.decodeAccount(ids, { prompt });
  const decodeMs = performance.now() - t;
  const candidates = candidateList(rng, CANDIDATES, account);
  t = performance.now();
  const a = detector.attributeAccounts(ids, candidates, { prompt });
  const attributeMs = performance.now() - t;
  // All candidates' raw p-values (the report lists the significant and the `top` best).
  const all = detector.attributeAccounts(ids, candidates, { prompt, top: CANDIDATES });
  const innocents = all.accounts.filter((x) => x.account !== account).map((x) => x.log10PValue);
  countInnocents('account-watermarked texts of the length table (all candidates but the true id)', innocents);
  if (ksTag) ksRows.push({ category: ksTag, text: ksRows.filter((r) => r.category === ksTag).length, ...ksChecks(innocents) });
  const rank = all.accounts.findIndex((x) => x.account === account);
  const one = detector.attributeAccounts(ids, [account], { prompt }).accounts[0]!;
  const det = detector.detect(ids, { prompt });
  return {
    tuples: d.tuples,
    decode: {
      correct: d.candidate === account,
      significant: d.significant,
      log10P: d.log10PValue,
      anyId: d.log10PValueAnyId,
      thisId: d.log10PValueThisId,
      tried: d.tried,
      certified: d.certified,
      ms: decodeMs,
    },
    attribution: {
      trueFirstSignificant: a.accounts[0]!.account === account && a.accounts[0]!.significant,
      trueRank: rank + 1,
      trueAdjusted: all.accounts[rank]!.adjustedLog10PValue,
      significantInnocents: a.accounts.filter((x) => x.significant && x.account !== account).length,
      ms: attributeMs,
    },
    verification: { log10P: one.log10PValue, markedFraction: one.score / Math.max(1, d.tuples) },
    detect: { log10P: det.log10PValue, greenFraction: det.green / Math.max(1, det.scored) },
  };
}

const roundP = (p: Proportion) => ({ hits: p.hits, n: p.n, rate: round(p.rate), lower: round(p.lower), upper: round(p.upper) });
const share = (rs: TextResult[], f: (r: TextResult) => boolean) => roundP(proportion(rs.filter(f).length, rs.length, 0.95));
const med = (rs: TextResult[], f: (r: TextResult) => number, digits = 4) => round(medianOf(rs.map(f)), digits);

function summarize(rs: TextResult[]) {
  const ms = rs.map((r) => r.decode.ms).sort((a, b) => a - b);
  return {
    n: rs.length,
    meanTuples: round(mean(rs.map((r) => r.tuples))),
    decode: {
      correctAndSignificant: share(rs, (r) => r.decode.significant && r.decode.correct),
      significantButWrong: share(rs, (r) => r.decode.significant && !r.decode.correct),
      candidateCorrect: share(rs, (r) => r.decode.correct),
      certified: share(rs, (r) => r.decode.certified),
      medianLog10P: med(rs, (r) => r.decode.log10P),
      medianLog10PAnyId: med(rs, (r) => r.decode.anyId),
      medianLog10PThisId: med(rs, (r) => r.decode.thisId),
      medianTried: med(rs, (r) => r.decode.tried),
      medianMs: round(medianOf(ms), 3),
      p90Ms: round(ms[Math.min(ms.length - 1, Math.ceil(0.9 * ms.length) - 1)]!, 3),
    },
    attribution: {
      candidates: CANDIDATES,
      trueFirstAndSignificant: share(rs, (r) => r.attribution.trueFirstSignificant),
      trueRankedFirst: share(rs, (r) => r.attribution.trueRank === 1),
      significantInnocents: rs.reduce((s, r) => s + r.attribution.significantInnocents, 0),
      innocentsTested: rs.length * (CANDIDATES - 1),
      medianTrueAdjustedLog10P: med(rs, (r) => r.attribution.trueAdjusted),
      medianMs: round(medianOf(rs.map((r) => r.attribution.ms)), 3),
    },
    verification: {
      note: 'the true id as the only candidate: raw exact conditional p-value, no multiplicity',
      medianLog10P: med(rs, (r) => r.verification.log10P),
      meanMarkedFraction: round(mean(rs.map((r) => r.verification.markedFraction))),
      markedFractionUnderH0: DIGIT_SET_FRACTION,
    },
    detect: {
      tpr: share(rs, (r) => r.detect.log10P <= Math.log10(ALPHA)),
      medianLog10P: med(rs, (r) => r.detect.log10P),
      meanGreenFraction: round(mean(rs.map((r) => r.detect.greenFraction))),
    },
  };
}

const loadSamples: { part: string; at: string; load: number[] }[] = [];
const markLoad = (part: string) => loadSamples.push({ part, at: new Date().toISOString(), load: loadavg().map((x) => round(x, 3)) });

// ------------------------------------------------------------------ 1. recovery vs length
const partSeconds: Record<string, number> = {};
let t1 = performance.now();
const prompts1 = heldOutPrompts({ count: PER_LENGTH, promptTokens: PROMPT, seed: 101 });
type Summary = ReturnType<typeof summarize>;
const byLength: ({ length: number } & Summary)[] = [];
let timingText: { ids: Uint32Array; prompt: Uint32Array; account: number } | undefined;
for (const [li, length] of LENGTHS.entries()) {
  const rng = seededRandom(1_000 + li);
  const rs: TextResult[] = [];
  for (let i = 0; i < PER_LENGTH; i++) {
    const account = randomId(rng);
    const wm = createWatermark(KEY, { account, vocabSize: model.vocabSize });
    const ids = await generate(prompts1[i]!, length, 10_000 * (li + 1) + i, wm);
    rs.push(
      testAccountText(
        ids,
        prompts1[i]!,
        account,
        rng,
        length === NULL_LENGTH && i < KS_TEXTS ? 'account-watermarked (innocent candidates)' : undefined,
      ),
    );
    if (length === NULL_LENGTH && i === 0) timingText = { ids, prompt: prompts1[i]!, account };
  }
  const row = { length, ...summarize(rs) };
  byLength.push(row);
  log(
    `T=${length}: decoded ${row.decode.correctAndSignificant.hits}/${row.n} (wrong ${row.decode.significantButWrong.hits}), certified ${row.decode.certified.hits},`,
    `median log10 p ${row.decode.medianLog10P}, ${row.decode.medianMs} ms; attribution ${row.attribution.trueFirstAndSignificant.hits}/${row.n}`,
    `(innocents significant ${row.attribution.significantInnocents}); TPR ${row.detect.tpr.hits}/${row.n}`,
  );
}
partSeconds.byLength = since(t1);
markLoad('byLength');

// ------------------------------------------------------------------ 2. accountDelta and quality
t1 = performance.now();
const prompts2 = heldOutPrompts({ count: PER_DELTA, promptTokens: PROMPT, seed: 202 });
const perplexityStats = (nlls: number[]) => {
  const m = mean(nlls);
  const se = standardError(nlls);
  return {
    perplexity: round(Math.exp(m)),
    lower95: round(Math.exp(m - 1.96 * se)),
    upper95: round(Math.exp(m + 1.96 * se)),
    meanNll: round(m),
    n: nlls.length,
  };
};
/** Perplexity ratio a / b from paired per-text NLL differences (same prompts and sampler seeds). */
const pairedRatio = (a: number[], b: number[]) => {
  const diff = a.map((x, i) => x - b[i]!);
  const m = mean(diff);
  const se = standardError(diff);
  return { ratio: round(Math.exp(m)), lower95: round(Math.exp(m - 1.96 * se)), upper95: round(Math.exp(m + 1.96 * se)) };
};
const byDelta: ({ accountDelta: number; length: number } & Summary)[] = [];
interface QualityRow extends ReturnType<typeof perplexityStats> {
  length: number;
  variant: string;
  accountDelta?: number;
  vsZeroBit: ReturnType<typeof pairedRatio>;
  meanGreenFraction: number;
  meanMarkedFraction?: number;
}
const quality: QualityRow[] = [];
for (const [li, length] of DELTA_LENGTHS.entries()) {
  const seedOf = (i: number) => 500_000 + 10_000 * li + i; // same sampler seed for every variant of text i
  const accounts = (() => {
    const rng = seededRandom(2_000 + li);
    return Array.from({ length: PER_DELTA }, () => randomId(rng));
  })();
  const nllOff: number[] = [];
  const nllZero: number[] = [];
  const greenOff: number[] = [];
  const greenZero: number[] = [];
  for (let i = 0; i < PER_DELTA; i++) {
    const off = await generate(prompts2[i]!, length, seedOf(i), null);
    const zero = await generate(prompts2[i]!, length, seedOf(i), zeroBit);
    nllOff.push(nll(rater, prompts2[i]!, off));
    nllZero.push(nll(rater, prompts2[i]!, zero));
    const dOff = detector.detect(off, { prompt: prompts2[i]! });
    const dZero = detector.detect(zero, { prompt: prompts2[i]! });
    greenOff.push(dOff.green / Math.max(1, dOff.scored));
    greenZero.push(dZero.green / Math.max(1, dZero.scored));
  }
  quality.push({
    length,
    variant: 'no watermark',
    ...perplexityStats(nllOff),
    vsZeroBit: pairedRatio(nllOff, nllZero),
    meanGreenFraction: round(mean(greenOff)),
  });
  quality.push({
    length,
    variant: 'zero-bit only (delta 2, no account)',
    ...perplexityStats(nllZero),
    vsZeroBit: pairedRatio(nllZero, nllZero),
    meanGreenFraction: round(mean(greenZero)),
  });
  for (const accountDelta of DELTAS) {
    const rng = seededRandom(3_000 + 10 * li + accountDelta);
    const rs: TextResult[] = [];
    const nlls: number[] = [];
    for (let i = 0; i < PER_DELTA; i++) {
      const wm = createWatermark(KEY, { account: accounts[i]!, accountDelta, vocabSize: model.vocabSize });
      const ids = await generate(prompts2[i]!, length, seedOf(i), wm);
      rs.push(testAccountText(ids, prompts2[i]!, accounts[i]!, rng));
      nlls.push(nll(rater, prompts2[i]!, ids));
    }
    const row = { accountDelta, length, ...summarize(rs) };
    byDelta.push(row);
    quality.push({
      length,
      variant: `zero-bit + account, accountDelta ${accountDelta}`,
      accountDelta,
      ...perplexityStats(nlls),
      vsZeroBit: pairedRatio(nlls, nllZero),
      meanGreenFraction: row.detect.meanGreenFraction,
      meanMarkedFraction: row.verification.meanMarkedFraction,
    });
    log(
      `accountDelta=${accountDelta} T=${length}: decoded ${row.decode.correctAndSignificant.hits}/${row.n} (wrong ${row.decode.significantButWrong.hits}),`,
      `attribution ${row.attribution.trueFirstAndSignificant.hits}/${row.n}, TPR ${row.detect.tpr.hits}/${row.n}, ppl ${quality.at(-1)!.perplexity}`,
      `(zero-bit ${quality.find((q) => q.length === length && q.variant.startsWith('zero-bit only'))!.perplexity})`,
    );
  }
}
partSeconds.byDelta = since(t1);
markLoad('byDelta');

// ------------------------------------------------------------------ 3. false positives
t1 = performance.now();
const prompts3 = heldOutPrompts({ count: PER_NULL, promptTokens: PROMPT, seed: 303 });
const tokenizer = getTokenizer('o200k_base');
const humanDocs = heldOutDocuments()
  .map((d) => tokenizer.encode(d.text))
  .filter((d) => d.length >= 2 * (PROMPT + NULL_LENGTH));
const nullSets: { category: string; texts: () => AsyncGenerator<{ prompt: Uint32Array; ids: Uint32Array }> }[] = [
  {
    category: 'model, no watermark',
    async *texts() {
      for (let i = 0; i < PER_NULL; i++) yield { prompt: prompts3[i]!, ids: await generate(prompts3[i]!, NULL_LENGTH, 700_000 + i, null) };
    },
  },
  {
    category: 'held-out human text',
    async *texts() {
      const rng = seededRandom(404);
      for (let i = 0; i < PER_NULL; i++) {
        const doc = humanDocs[i % humanDocs.length]!;
        const start = Math.floor(rng() * (doc.length - PROMPT - NULL_LENGTH));
        yield { prompt: doc.slice(start, start + PROMPT), ids: doc.slice(start + PROMPT, start + PROMPT + NULL_LENGTH) };
      }
    },
  },
  {
    category: 'zero-bit watermark only (no account)',
    async *texts() {
      for (let i = 0; i < PER_NULL; i++)
        yield { prompt: prompts3[i]!, ids: await generate(prompts3[i]!, NULL_LENGTH, 800_000 + i, zeroBit) };
    },
  },
];
interface FalsePositiveRow {
  category: string;
  n: number;
  length: number;
  significantDecodes: number;
  significantDecodeShare: ReturnType<typeof roundP>;
  minDecodeLog10P: number;
  medianDecodeLog10P: number;
  certified: number;
  medianDecodeMs: number;
  candidatesTested: number;
  significantCandidates: number;
  minRawCandidateLog10P: number;
  minAdjustedCandidateLog10P: number;
  zeroBitDetections: number;
}
const falsePositives: FalsePositiveRow[] = [];
for (const [ci, set] of nullSets.entries()) {
  const rng = seededRandom(5_000 + ci);
  let n = 0;
  let significantDecodes = 0;
  let significantCandidates = 0;
  let certified = 0;
  let zeroBitDetections = 0;
  let minDecode = 0;
  let minRaw = 0;
  let minAdjusted = 0;
  const decodeLog10: number[] = [];
  const decodeMs: number[] = [];
  for await (const { prompt, ids } of set.texts()) {
    const t = performance.now();
    const d = detector.decodeAccount(ids, { prompt });
    decodeMs.push(performance.now() - t);
    const candidates = candidateList(rng, CANDIDATES);
    const a = detector.attributeAccounts(ids, candidates, { prompt, top: CANDIDATES });
    const raw = a.accounts.map((x) => x.log10PValue);
    countInnocents(set.category, raw);
    if (n < KS_TEXTS) ksRows.push({ category: set.category, text: n, ...ksChecks(raw) });
    const det = detector.detect(ids, { prompt });
    n++;
    if (d.significant) significantDecodes++;
    if (d.certified) certified++;
    significantCandidates += a.significant;
    if (det.watermarked) zeroBitDetections++;
    minDecode = Math.min(minDecode, d.log10PValue);
    minRaw = Math.min(minRaw, ...raw);
    minAdjusted = Math.min(minAdjusted, ...a.accounts.map((x) => x.adjustedLog10PValue));
    decodeLog10.push(d.log10PValue);
  }
  const row: FalsePositiveRow = {
    category: set.category,
    n,
    length: NULL_LENGTH,
    significantDecodes,
    significantDecodeShare: roundP(proportion(significantDecodes, n, 0.95)),
    minDecodeLog10P: round(minDecode),
    medianDecodeLog10P: round(medianOf(decodeLog10)),
    certified,
    medianDecodeMs: round(medianOf(decodeMs), 3),
    candidatesTested: n * CANDIDATES,
    significantCandidates,
    minRawCandidateLog10P: round(minRaw),
    minAdjustedCandidateLog10P: round(minAdjusted),
    zeroBitDetections,
  };
  falsePositives.push(row);
  log(
    `${set.category}: ${significantDecodes}/${n} significant decodes (min log10 p ${row.minDecodeLog10P}), ${significantCandidates} significant candidates, zero-bit ${zeroBitDetections}/${n}`,
  );
}
partSeconds.falsePositives = since(t1);
markLoad('falsePositives');

const calibrationSummary = Object.fromEntries(
  Object.entries(calibration).map(([bucket, c]) => [
    bucket,
    {
      pValues: c.pValues,
      minLog10P: round(c.minLog10P),
      atMost: THRESHOLDS.map((u, j) => {
        const share = roundP(proportion(c.atMost[j]!, c.pValues, 0.95));
        return { u, count: c.atMost[j]!, expectedAtMost: round(u * c.pValues), share, consistent: share.lower <= u };
      }),
    },
  ]),
);

// ------------------------------------------------------------------ 4. timing
t1 = performance.now();
const big = {
  candidates: BIG_CANDIDATES,
  seconds: [] as number[],
  trueRank: -1,
  trueSignificant: false,
  significant: -1,
  medianSeconds: NaN,
};
{
  const { ids, prompt, account } = timingText!;
  const candidates = candidateList(seededRandom(6_000), BIG_CANDIDATES, account);
  for (let r = 0; r < BIG_REPS; r++) {
    const t = performance.now();
    const a = detector.attributeAccounts(ids, candidates, { prompt });
    big.seconds.push(round((performance.now() - t) / 1000));
    big.trueRank = a.accounts.findIndex((x) => x.account === account) + 1;
    big.trueSignificant = a.accounts.some((x) => x.account === account && x.significant);
    big.significant = a.significant;
  }
  big.medianSeconds = round(medianOf(big.seconds));
  log(
    `attributeAccounts, ${BIG_CANDIDATES} candidates, ${NULL_LENGTH} tokens: ${big.seconds.join(', ')} s; true rank ${big.trueRank}, significant ${big.significant}`,
  );
}
const decodeTimes = byLength.map((r) => ({
  length: r.length,
  medianMs: r.decode.medianMs,
  p90Ms: r.decode.p90Ms,
  certified: r.decode.certified.rate,
}));
partSeconds.timing = since(t1);
markLoad('timing');

const result = {
  benchmark: 'account-decoding',
  quick: QUICK,
  complete: true,
  startedAt,
  finishedAt: new Date().toISOString(),
  seconds: since(t0),
  partSeconds,
  loadAverage: { atStart: loadAtStart.map((x) => round(x, 3)), afterEachPart: loadSamples },
  config: {
    source,
    digitSetFraction: DIGIT_SET_FRACTION,
    model: 'reference Kneser-Ney, order 4, o200k_base (generator); order 5 (perplexity rater, same training split)',
    key: { seed: KEY_SEED, params: KEY.params, note: 'one provider key, default params (seededKey)' },
    generation:
      'generateTokens at temperature 1 (exact rejection path), 16-token held-out prompts, a fresh random 32-bit account id per text',
    decoder:
      'createWatermark(key) without an account: decodeAccount (default budget 65,536 id prefixes), attributeAccounts, detect; prompt given',
    alpha: ALPHA,
    lengths: LENGTHS,
    perLength: PER_LENGTH,
    accountDeltas: DELTAS,
    deltaLengths: DELTA_LENGTHS,
    perDelta: PER_DELTA,
    nullLength: NULL_LENGTH,
    perNullCategory: PER_NULL,
    candidates: CANDIDATES,
    candidateLists: 'the true id plus random distinct ids (null texts: random ids only), fresh per text',
    bigCandidates: BIG_CANDIDATES,
    ksTextsPerCategory: KS_TEXTS,
    intervals:
      '95% Clopper-Pearson for shares; perplexity 95% interval from the standard error of per-text NLL; ratios from paired per-text NLL differences',
    pairing:
      'part 2: the same prompts and sampler seeds for no watermark, zero-bit only and every accountDelta (texts still diverge: rejection sampling uses the randomness differently)',
    calibration:
      "innocent candidates' raw conditional p-values: exact at the points of their discrete support, so P(p <= u) <= u for every u (threshold counts must not exceed u * count); " +
      'KS "continuous" is the usual test, which assumes a continuous null and so rejects discrete p-values once there are many; KS "atSupport" compares F_n(v) with v at the attained values only (a valid, conservative test)',
  },
  byLength,
  byDelta,
  quality,
  falsePositives,
  calibration: { ...calibrationSummary, ks: ksRows },
  timing: {
    attributeMillion: big,
    decodeAccountMedianMsAt400: byLength.find((r) => r.length === 400)!.decode.medianMs,
    decodeAccountMedianMsAllLengths: round(medianOf(byLength.map((r) => r.decode.medianMs))),
    decodeAccountByLength: decodeTimes,
    attribute10kMedianMsAt400: byLength.find((r) => r.length === 400)!.attribution.medianMs,
    note: 'wall times on a shared 2-core machine (other jobs running: see loadAverage); decode and attribution times include the pass over the text',
  },
};
const path = writeResult(resultName('account-decoding'), result);
log(`wrote ${path} in ${since(t0)} s`);

// ------------------------------------------------------------------ README section
const pctValue = (x: number) => {
  const v = 100 * x;
  return v === 0 || v === 100 ? String(v) : v.toFixed(1);
};
const fmtPct = (x: number) => `${pctValue(x)}%`;
const pct = (p: { rate: number; lower: number; upper: number }) => `${fmtPct(p.rate)} [${pctValue(p.lower)}, ${pctValue(p.upper)}]`;
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : String(x));
const int = (x: number) => x.toLocaleString('en-US');

function section(): string {
  const L: string[] = [];
  const allConsistent = Object.values(calibrationSummary).every((c) => c.atMost.every((a) => a.consistent));
  L.push('## Account ids (32-bit): recovery vs length, quality cost, false positives');
  L.push('');
  L.push(
    `Rerun: \`npx tsx benchmarks/account-decoding.bench.ts [--quick]\` (or \`npx tsx benchmarks/run-all.ts account-decoding\`) → ` +
      '`results/account-decoding[-quick].json`; a full run rewrites this section. ' +
      `Measured ${startedAt.slice(0, 10)}: ${Math.round(result.seconds / 60)} min on a shared 2-core machine (load average ${loadAtStart
        .map((x) => x.toFixed(1))
        .join(' / ')} at start).`,
  );
  L.push('');
  L.push(
    'One provider key (default params: gamma 0.25, delta 2, LeftHash h = 2), the reference model (order 4) at temperature 1, ' +
      '16-token held-out prompts, a fresh random account id per text (`createWatermark(key, { account })`, accountDelta 2 unless ' +
      `stated; each window favours one of 16 keyed digit sets, each ${DIGIT_SET_FRACTION} of the vocabulary). ` +
      'Decoding uses a watermark of the same key created without an account. "Decoded": `decodeAccount` returns the true ' +
      'id with its p-value (corrected for all 2^32 ids) at most 1e-6; "wrong": significant with another id. "Attribution": ' +
      `\`attributeAccounts\` over ${int(CANDIDATES)} candidates including the true id ranks it first with Holm-adjusted p ≤ 1e-6; ` +
      '"innocents": significant other candidates, in total. Zero-bit TPR: `detect` at 1e-6 on the same texts. Intervals: 95% Clopper-Pearson.',
  );
  L.push('');
  L.push(
    '| T (tokens) | n | decoded [95% CI] | significant but wrong | best candidate correct (any p) | median log10 p | certified | median decode ms | attribution: true id first and significant [95% CI] | significant innocents / tested | zero-bit TPR at 1e-6 |',
  );
  L.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of byLength) {
    L.push(
      `| ${r.length} | ${r.n} | ${pct(r.decode.correctAndSignificant)} | ${r.decode.significantButWrong.hits} | ${fmtPct(r.decode.candidateCorrect.rate)} | ${f1(r.decode.medianLog10P)} | ` +
        `${fmtPct(r.decode.certified.rate)} | ${r.decode.medianMs.toFixed(0)} | ${pct(r.attribution.trueFirstAndSignificant)} | ${r.attribution.significantInnocents} / ${int(r.attribution.innocentsTested)} | ${pct(r.detect.tpr)} |`,
    );
  }
  L.push('');
  L.push(
    'The decoding p-value is the larger of two corrected p-values: "any id of this key" (binomial, ×2^32) and "this id" ' +
      '(its 24 check digits, × the id prefixes tried (up to 65,536) × H(65,536) ≈ 11.7, so that stopping early keeps it valid); the second dominates, which is why decoding needs more ' +
      'text than attribution against a list. "Certified": the search proved the candidate is the maximum-likelihood id among all 2^32. ' +
      'Both p-values are exact tails (with valid corrections), hence floored: "this id" cannot go below 16^-24 ≈ 10^-28.9 (every check digit on its position\'s ' +
      'best cell) times the correction, so the decoding p-value stops improving from about 600 tokens (the one-candidate ' +
      'p-value of the true id, in the JSON, has floor 16^-32 ≈ 10^-38.5).',
  );
  L.push('');
  L.push(`### accountDelta and quality (n = ${PER_DELTA} per cell)`);
  L.push('');
  L.push(
    `| accountDelta | T | decoded [95% CI] | wrong | attribution first and significant [95% CI] | innocents | zero-bit TPR at 1e-6 | median decode log10 p | share of tuples in the account's sets (${DIGIT_SET_FRACTION} by chance) |`,
  );
  L.push('|---|---|---|---|---|---|---|---|---|');
  for (const r of byDelta) {
    L.push(
      `| ${r.accountDelta} | ${r.length} | ${pct(r.decode.correctAndSignificant)} | ${r.decode.significantButWrong.hits} | ${pct(r.attribution.trueFirstAndSignificant)} | ` +
        `${r.attribution.significantInnocents} | ${pct(r.detect.tpr)} | ${f1(r.decode.medianLog10P)} | ${r.verification.meanMarkedFraction.toFixed(3)} |`,
    );
  }
  L.push('');
  L.push(
    'Perplexity of the generated tokens (prompt as context) under the order-5 reference model; the same prompts and sampler ' +
      'seeds for every row of a length; ratio to the zero-bit-only text from paired per-text NLL differences (95% CI).',
  );
  L.push('');
  L.push('| T | text | n | perplexity, order-5 rater [95% CI] | ratio to zero-bit only [95% CI] | green fraction |');
  L.push('|---|---|---|---|---|---|');
  for (const q of quality) {
    L.push(
      `| ${q.length} | ${q.variant} | ${q.n} | ${q.perplexity.toFixed(1)} [${q.lower95.toFixed(1)}, ${q.upper95.toFixed(1)}] | ` +
        `${q.vsZeroBit.ratio.toFixed(3)} [${q.vsZeroBit.lower95.toFixed(3)}, ${q.vsZeroBit.upper95.toFixed(3)}] | ${q.meanGreenFraction.toFixed(3)} |`,
    );
  }
  L.push('');
  L.push(`### False positives (${NULL_LENGTH}-token texts, ${int(CANDIDATES)} random candidates per text)`);
  L.push('');
  L.push(
    '| texts | n | significant blind decodes | smallest decode log10 p | significant candidates / tested | smallest raw candidate log10 p | zero-bit detections at 1e-6 |',
  );
  L.push('|---|---|---|---|---|---|---|');
  for (const r of falsePositives) {
    L.push(
      `| ${r.category} | ${r.n} | ${r.significantDecodes} | ${f1(r.minDecodeLog10P)} | ${r.significantCandidates} / ${int(r.candidatesTested)} | ${f1(r.minRawCandidateLog10P)} | ${r.zeroBitDetections} |`,
    );
  }
  L.push('');
  L.push(
    "Calibration of the innocent candidates' raw conditional p-values (every candidate of the texts above, and every candidate " +
      'but the true one on the account-watermarked texts of the length table). The p-values are discrete (integer scores): exact ' +
      'at the points of their support and conservative in between, so P(p ≤ u) ≤ u for every u: the expected count is at most ' +
      `u × count (in parentheses). ${allConsistent ? 'Every' : 'NOT every'} count is consistent with its bound (95% Clopper-Pearson lower end ≤ u).`,
  );
  L.push('');
  L.push('| innocent p-values | count | ' + THRESHOLDS.map((u) => `p ≤ ${u.toExponential(0)} (bound)`).join(' | ') + ' |');
  L.push('|---|---|' + THRESHOLDS.map(() => '---').join('|') + '|');
  for (const [label, c] of Object.entries(calibrationSummary)) {
    L.push(
      `| ${label} | ${int(c.pValues)} | ` +
        c.atMost.map((a) => `${int(a.count!)} (${int(Math.round(a.expectedAtMost))})`).join(' | ') +
        ' |',
    );
  }
  L.push('');
  const ksAt = ksRows.map((r) => r.atSupport.pValue);
  const ksCont = ksRows.map((r) => r.continuous.pValue);
  L.push(
    `KS on single texts (${ksRows.length} texts: ${KS_TEXTS} per category, ~${int(CANDIDATES)} innocent p-values each): comparing F_n(v) with v at the ` +
      `attained values only (valid, conservative for discrete p-values) gives KS p-values from ${Math.min(...ksAt).toPrecision(2)} to ${Math.max(...ksAt).toPrecision(2)}; ` +
      `the usual continuous KS gives ${Math.min(...ksCont).toPrecision(2)} to ${Math.max(...ksCont).toPrecision(2)} ` +
      '(it assumes continuous p-values and rejects discrete ones given enough of them; see `calibration.ks` in the JSON).',
  );
  L.push('');
  L.push('### Speed');
  L.push('');
  L.push('| operation | wall time |');
  L.push('|---|---|');
  L.push(
    `| \`attributeAccounts\`, ${int(BIG_CANDIDATES)} candidates, one ${NULL_LENGTH}-token text (median of ${BIG_REPS}) | ${big.medianSeconds.toFixed(2)} s (${big.seconds.map((s) => s.toFixed(2)).join(', ')}) |`,
  );
  L.push(
    `| \`attributeAccounts\`, ${int(CANDIDATES)} candidates, ${NULL_LENGTH} tokens (median) | ${result.timing.attribute10kMedianMsAt400.toFixed(0)} ms |`,
  );
  for (const r of decodeTimes)
    L.push(`| \`decodeAccount\`, ${r.length} tokens (median; 90th percentile) | ${r.medianMs.toFixed(0)} ms; ${r.p90Ms.toFixed(0)} ms |`);
  return L.join('\n');
}

const md = section();
if (QUICK) {
  console.log(md);
  log('quick run: README not updated');
} else {
  const readmePath = join(dirname(fileURLToPath(import.meta.url)), 'README.md');
  const start = '<!-- account-decoding -->';
  const end = '<!-- /account-decoding -->';
  let readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '# Benchmarks\n';
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i >= 0 && j > i) readme = readme.slice(0, i + start.length) + '\n' + md + '\n' + readme.slice(j);
  else readme = readme.replace(/\n*$/, '\n\n') + `${start}\n${md}\n${end}\n`;
  writeFileSync(readmePath, readme);
  log(`README section updated: ${readmePath}`);
}
