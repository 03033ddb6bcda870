// Runs every benchmarks/*.bench.ts in sequence (one process at a time), then renders the plots
// and the README tables of the detection benchmarks (benchmarks/lib/report.ts).
// Run: npx tsx benchmarks/run-all.ts [--quick] [name ...]
//   --quick   passed through to every script (reduced runs; results go to *-quick.json); skips
//             the long experiments listed in LONG unless they are named
//   name ...  only the scripts whose file name contains one of these words (e.g. power fpr)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filters = args.filter((a) => !a.startsWith('--'));

// The long experiments (model training at every order, distillation simulations, the
// distortion-free schemes on the full vocabulary) are left out of `--quick` unless named, so
// that the quick suite stays within a few minutes.
const LONG = ['model.bench.ts', 'distillation.bench.ts', 'distillation-schemes.bench.ts', 'schemes.bench.ts'];
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => (filters.length === 0 ? !(quick && LONG.includes(f)) : filters.some((w) => f.includes(w))))
  .sort();

const run = (file: string, extra: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(here, file), ...extra], { stdio: 'inherit' });

const summary: { script: string; seconds: number; status: number | null }[] = [];
const start = performance.now();
for (const script of scripts) {
  console.error(`\n=== ${script}${quick ? ' --quick' : ''}`);
  const t0 = performance.now();
  const result = run(script, quick ? ['--quick'] : []);
  summary.push({ script, seconds: Math.round((performance.now() - t0) / 100) / 10, status: result.status });
}
console.error('\n=== lib/report.ts (plots and README tables)');
const report = run(join('lib', 'report.ts'), []); // full results when present: a quick run does not overwrite the README's numbers
summary.push({ script: 'lib/report.ts', seconds: 0, status: report.status });

console.error(`\n${'script'.padEnd(40)} seconds  status`);
for (const s of summary)
  console.error(`${s.script.padEnd(40)} ${String(s.seconds).padStart(7)}  ${s.status === 0 ? 'ok' : `FAILED (${s.status})`}`);
console.error(`total ${Math.round((performance.now() - start) / 1000)} s`);
process.exitCode = summary.some((s) => s.status !== 0) ? 1 : 0;
