// Proven (betting-martingale) p-values of the filtered closed mode and the ledger test:
// (1) false-positive rate under the true-key null check (clean suspect, filter from text
// watermarked with the key), 3,000 trials, exact binomial beside proven; (2) power cost against
// the exact binomial on the distillation simulation's own counts (results/distillation*.json)
// and on a sweep at log10 p = -10. Run: npx tsx benchmarks/proven-pvalues.bench.ts [--quick]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey } from '../src/key/key.js';
import { ClosedModeTest } from '../src/radioactivity/closed-mode.js';
import { WindowSet } from '../src/windows/window-filter.js';
import { clopperPearson, log10BinomialTail } from '../src/stats/index.js';
import { bernoulliBettingLog10P } from '../src/stats/betting-martingale.js';
import { cleanText, rngOf, watermarkedText } from '../test/helpers/synthetic-texts.js';
import { median, RESULTS_DIR } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const TRIALS = quick ? 300 : 3000;
const ALPHAS = [0.05, 0.01];
const GAMMA = 0.25;

function fprCheck() {
  const rng = rngOf(31);
  const exact = ALPHAS.map(() => 0);
  const proven = ALPHAS.map(() => 0);
  for (let t = 0; t < TRIALS; t++) {
    const key = generateKey({ window: 1 });
    const filter = WindowSet.fromTexts([watermarkedText(key, 200, rng)], 1);
    const test = new ClosedModeTest([key], { filter, alpha: 0.05 });
    test.readCompletion(cleanText(200, rng));
    const r = test.result();
    ALPHAS.forEach((a, i) => {
      if (r.log10PValue <= Math.log10(a)) exact[i]!++;
      if (r.proven!.log10PValue <= Math.log10(a)) proven[i]!++;
    });
  }
  return ALPHAS.map((alpha, i) => ({
    alpha,
    trials: TRIALS,
    exactBinomial: { rejected: exact[i], rate: exact[i]! / TRIALS, ci95: clopperPearson(exact[i]!, TRIALS, 0.95) },
    proven: { rejected: proven[i], rate: proven[i]! / TRIALS, ci95: clopperPearson(proven[i]!, TRIALS, 0.95) },
  }));
}

interface Counts {
  scored: number;
  green: number;
}

function simulationCost() {
  const rows: { file: string; h: number; rho: number; scored: number; binomial: number; proven: number; cost: number }[] = [];
  for (const file of ['distillation.json', 'distillation-h2.json']) {
    const data = JSON.parse(readFileSync(join(RESULTS_DIR, file), 'utf8')) as {
      rows: { h: number; rho: number; closedFiltered: Counts }[];
    };
    for (const r of data.rows) {
      const { scored, green } = r.closedFiltered;
      const binomial = log10BinomialTail(green, scored, GAMMA);
      const proven = bernoulliBettingLog10P(green, scored, GAMMA);
      rows.push({ file, h: r.h, rho: r.rho, scored, binomial, proven, cost: proven - binomial });
    }
  }
  const near10 = rows.filter((r) => r.binomial <= -6 && r.binomial >= -14);
  return {
    rows,
    near10: { count: near10.length, medianCost: median(near10.map((r) => r.cost)), maxCost: Math.max(...near10.map((r) => r.cost)) },
  };
}

// For each N, the smallest green count whose exact binomial log10 p reaches -10, and the cost there.
function sweep() {
  return [1e3, 1e4, 1e5, 1e6, 1e7].map((n) => {
    let k = Math.ceil(GAMMA * n);
    let step = Math.ceil(n / 4);
    while (step >= 1) {
      while (k - step > GAMMA * n && log10BinomialTail(k - step, n, GAMMA) <= -10) k -= step;
      while (log10BinomialTail(k, n, GAMMA) > -10) k += step;
      step = Math.floor(step / 2);
    }
    const binomial = log10BinomialTail(k, n, GAMMA);
    const proven = bernoulliBettingLog10P(k, n, GAMMA);
    return { scored: n, green: k, binomial, proven, cost: proven - binomial };
  });
}

const t0 = performance.now();
const simulation = simulationCost();
const atMinus10 = sweep();
const fpr = fprCheck();
const out = {
  quick,
  seconds: (performance.now() - t0) / 1000,
  fpr,
  powerCost: { atMinus10, simulation: simulation.near10, simulationRows: simulation.rows },
};
writeFileSync(join(RESULTS_DIR, quick ? 'proven-pvalues-quick.json' : 'proven-pvalues.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(
  JSON.stringify({
    fpr: fpr.map((f) => ({ alpha: f.alpha, exact: f.exactBinomial.rate, proven: f.proven.rate })),
    atMinus10: atMinus10.map((a) => a.cost.toFixed(2)),
    simulation: simulation.near10,
  }),
);
