// Prints the markdown table of benchmarks/results/distillation.json (or -quick) for benchmarks/README.md.
// Run: npx tsx benchmarks/radioactivity-table.bench.ts [--quick]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './lib/timing.js';

const file = join(RESULTS_DIR, process.argv.includes('--quick') ? 'distillation-quick.json' : 'distillation.json');
const data = JSON.parse(readFileSync(file, 'utf8'));
const modes = [
  'closedUnfiltered',
  'closedFiltered',
  'openSupervised',
  'openSupervisedArgmax',
  'openUnsupervised',
  'openUnsupervisedArgmax',
];
const f = (x: number) => (x === null || Number.isNaN(x) ? 'n/a' : x.toFixed(1));
console.log(`| h | rho | keys | closed | closed filtered | open supervised (argmax) | open unsupervised (argmax) |`);
console.log(`|---|---|---|---|---|---|---|`);
for (const m of data.medians) {
  const n = data.rows.filter((r: { h: number; rho: number }) => r.h === m.h && r.rho === m.rho).length;
  if (n === 0) continue;
  const v = modes.map((k) => f(m[k]));
  console.log(`| ${m.h} | ${m.rho * 100}% | ${n} | ${v[0]} | ${v[1]} | ${v[2]} (${v[3]}) | ${v[4]} (${v[5]}) |`);
}
