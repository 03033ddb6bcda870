// False-positive control on human text: >= 100,000 null tests under independent random keys.
// Run: npx tsx benchmarks/fpr.bench.ts [--quick]   -> benchmarks/results/fpr[-quick].json
//
// Each test: a fresh key, a passage of L tokens (L in 50, 100, 200, 400) of one category
// (held-out prose, repetitive text, templated text, source code). Three decisions per test:
//  - radiomark: exact binomial test on de-duplicated (window, token) tuples (the default);
//  - z-test without de-duplication (what peers ship): z = binomialZ over every position,
//    reject when the normal upper tail of z is <= alpha;
//  - z-test with de-duplication (isolates the normal-approximation error).
// Empirical FPRs get 99% Clopper-Pearson intervals. Exact discrete tests are conservative, so
// radiomark's FPR is compared with its exact size (the mean over tests of
// P[Bin(N_i, gamma) >= k*(N_i)], k* the critical count), which must lie inside the interval,
// and with alpha (the interval's lower end must not exceed alpha).
import { createWatermark } from '../src/index.js';
import type { WatermarkParams } from '../src/index.js';
import { seededRandom } from '../src/base/rng.js';
import {
  exactSize,
  log,
  normalUpperQuantile,
  proportion,
  QUICK,
  resultName,
  round,
  seededKey,
  since,
  type Proportion,
} from './lib/harness.js';
import {
  codePool,
  NULL_CATEGORIES,
  passage,
  prosePool,
  repetitivePool,
  templatedPool,
  type NullCategory,
  type TextPool,
} from './lib/null-text.js';
import { writeResult } from './lib/timing.js';

const ALPHAS = [1e-2, 1e-3, 1e-4];
const LENGTHS = [50, 100, 200, 400];
const CONFIDENCE = 0.99;
const PER_CATEGORY = QUICK ? 2_000 : 25_000;
const SUPPLEMENT_PER_CATEGORY = QUICK ? 0 : 2_500;

const DEFAULT: Partial<WatermarkParams> = { gamma: 0.25, delta: 2, window: 2, seeding: 'lefthash' };
const SUPPLEMENT: Partial<WatermarkParams>[] = [
  { gamma: 0.25, window: 1, seeding: 'lefthash' },
  { gamma: 0.25, window: 4, seeding: 'minhash' },
  { gamma: 0.25, window: 4, seeding: 'selfhash' },
  { gamma: 0.5, window: 2, seeding: 'lefthash' },
];

const t0 = performance.now();
log('building null-text pools');
const pools: Record<NullCategory, TextPool> = {
  prose: prosePool(),
  repetitive: repetitivePool(QUICK ? 400 : 3_000, 2_400, 21),
  templated: templatedPool(QUICK ? 400 : 3_000, 2_400, 22),
  code: codePool(QUICK ? 150 : 900),
};
log(
  `pools ready in ${since(t0)} s`,
  Object.values(pools)
    .map((p) => `${p.category}: ${p.docs.length} docs, ${p.tokens} tokens`)
    .join('; '),
);

const Z_CRIT = Object.fromEntries(ALPHAS.map((a) => [a, normalUpperQuantile(a)]));

interface Cell {
  tests: number;
  scoredSum: number;
  positionsSum: number;
  exact: number[]; // rejections per alpha
  size: number[]; // sum of exact sizes per alpha
  zNone: number[];
  zDedup: number[];
  minLog10P: number;
}
const newCell = (): Cell => ({
  tests: 0,
  scoredSum: 0,
  positionsSum: 0,
  exact: ALPHAS.map(() => 0),
  size: ALPHAS.map(() => 0),
  zNone: ALPHAS.map(() => 0),
  zDedup: ALPHAS.map(() => 0),
  minLog10P: 0,
});

function add(cell: Cell, t: { scored: number; positions: number; log10P: number; gamma: number; zNone: number; zDedup: number }) {
  cell.tests++;
  cell.scoredSum += t.scored;
  cell.positionsSum += t.positions;
  cell.minLog10P = Math.min(cell.minLog10P, t.log10P);
  ALPHAS.forEach((alpha, j) => {
    if (t.log10P <= Math.log10(alpha)) cell.exact[j]!++;
    cell.size[j]! += exactSize(t.scored, t.gamma, alpha);
    if (t.zNone > Z_CRIT[alpha]!) cell.zNone[j]!++;
    if (t.zDedup > Z_CRIT[alpha]!) cell.zDedup[j]!++;
  });
}

function runTests(params: Partial<WatermarkParams>, perCategory: number, seedBase: number) {
  const cells = new Map<string, Cell>();
  const cellOf = (key: string) => {
    let c = cells.get(key);
    if (!c) cells.set(key, (c = newCell()));
    return c;
  };
  NULL_CATEGORIES.forEach((category, ci) => {
    const rng = seededRandom(seedBase + ci);
    for (let i = 0; i < perCategory; i++) {
      const length = LENGTHS[i % LENGTHS.length]!;
      const { ids, kind } = passage(pools[category], rng, length);
      const wm = createWatermark(seededKey(params, seedBase * 1_000_003 + ci * 10_000_019 + i));
      const exact = wm.detect(ids, { dedup: 'tuple' });
      const none = wm.detect(ids, { dedup: 'none' });
      const t = {
        scored: exact.scored,
        positions: none.scored,
        log10P: exact.log10PValue,
        gamma: exact.gamma,
        zNone: none.z,
        zDedup: exact.z,
      };
      for (const key of [category, `${category}/L=${length}`, `${category}/${kind}`, 'all']) add(cellOf(key), t);
    }
    log(`  ${JSON.stringify(params)} ${category}: ${perCategory} tests (${since(t0)} s)`);
  });
  return [...cells.entries()].map(([key, c]) => summarize(key, c));
}

function summarize(key: string, c: Cell) {
  const byAlpha = ALPHAS.map((alpha, j) => {
    const exact = proportion(c.exact[j]!, c.tests, CONFIDENCE);
    const expected = c.size[j]! / c.tests;
    const zNone = proportion(c.zNone[j]!, c.tests, CONFIDENCE);
    const zDedup = proportion(c.zDedup[j]!, c.tests, CONFIDENCE);
    return {
      alpha,
      exact: roundProportion(exact),
      exactSize: round(expected),
      exactSizeInInterval: exact.lower <= expected && expected <= exact.upper,
      exactConsistentWithAlpha: exact.lower <= alpha,
      zNone: roundProportion(zNone),
      zNoneAboveAlpha: zNone.lower > alpha,
      zDedup: roundProportion(zDedup),
      zDedupAboveAlpha: zDedup.lower > alpha,
    };
  });
  return {
    cell: key,
    tests: c.tests,
    meanScored: round(c.scoredSum / c.tests),
    meanPositions: round(c.positionsSum / c.tests),
    minLog10P: round(c.minLog10P),
    byAlpha,
  };
}

const roundProportion = (p: Proportion) => ({ ...p, rate: round(p.rate), lower: round(p.lower), upper: round(p.upper) });

log(`default configuration: ${PER_CATEGORY} tests per category`);
const main = runTests(DEFAULT, PER_CATEGORY, 1);
const supplement = [];
for (const [k, params] of SUPPLEMENT.entries()) {
  if (SUPPLEMENT_PER_CATEGORY === 0) break;
  const cells = runTests(params, SUPPLEMENT_PER_CATEGORY, 100 + k);
  supplement.push({ params, cells: cells.filter((c) => !c.cell.includes('/')) });
}

const headline = main.filter((c) => !c.cell.includes('/'));
const acceptance = {
  everyExactPointInsideInterval: [...main, ...supplement.flatMap((s) => s.cells)].every((c) =>
    c.byAlpha.every((a) => a.exactSizeInInterval && a.exactConsistentWithAlpha),
  ),
  zNoneAboveAlphaOnRepetitive: main.find((c) => c.cell === 'repetitive')!.byAlpha.every((a) => a.zNoneAboveAlpha),
};
const totalTests =
  main.find((c) => c.cell === 'all')!.tests + supplement.reduce((s, x) => s + x.cells.find((c) => c.cell === 'all')!.tests, 0);
const path = writeResult(resultName('fpr'), {
  benchmark: 'fpr',
  quick: QUICK,
  settings: {
    params: DEFAULT,
    alphas: ALPHAS,
    lengths: LENGTHS,
    confidence: CONFIDENCE,
    testsPerCategory: PER_CATEGORY,
    supplementTestsPerCategory: SUPPLEMENT_PER_CATEGORY,
    zCritical: Z_CRIT,
    keys: 'one fresh key per test (seeded, reproducible)',
    pools: Object.fromEntries(
      Object.values(pools).map((p) => [p.category, { documents: p.docs.length, tokens: p.tokens, description: p.description }]),
    ),
  },
  totalTests,
  acceptance,
  headline,
  cells: main,
  supplement,
  seconds: since(t0),
});
log(`wrote ${path}: ${totalTests} tests in ${since(t0)} s`, JSON.stringify(acceptance));
for (const c of headline) {
  log(
    c.cell,
    c.byAlpha
      .map(
        (a) =>
          `a=${a.alpha}: exact ${a.exact.hits}/${c.tests} size ${a.exactSize} ok=${a.exactSizeInInterval} | zNone ${a.zNone.rate} | zDedup ${a.zDedup.rate}`,
      )
      .join(' ; '),
  );
}
