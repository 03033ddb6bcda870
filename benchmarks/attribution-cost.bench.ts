// Cost of per-account radioactivity: one closed-mode pass over 1M suspect tokens with the
// zero-bit test only (the baseline), plus the account tally, plus the account ledger; then the
// per-account tests for 10k, 100k and 1M candidates. Pass times are ratios to the baseline in
// the same run (this machine is shared). Run: npx tsx benchmarks/attribution-cost.bench.ts [--quick]
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../src/key/key.js';
import { AccountLedger } from '../src/ledger/account-ledger.js';
import { corpusTokenStreams } from '../src/node/corpora.js';
import { ClosedModeTest, type ClosedModeOptions } from '../src/radioactivity/closed-mode.js';
import { seededRandom } from '../src/base/rng.js';
import { median, RESULTS_DIR } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const TOKENS = quick ? 200_000 : 1_000_000;
const REPS = quick ? 3 : 5;
const CANDIDATES = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const COMPLETION = 256;
const LEDGER_ACCOUNTS = 50_000;

// Suspect "outputs": consecutive 256-token pieces of the corpora (human text: the cost does
// not depend on whether the text is watermarked).
const streams = corpusTokenStreams();
const pieces: Uint32Array[] = [];
for (let s = 0, n = 0; n < TOKENS && s < streams.length; s++) {
  for (let i = 0; i + COMPLETION <= streams[s]!.length && n < TOKENS; i += COMPLETION, n += COMPLETION)
    pieces.push(streams[s]!.subarray(i, i + COMPLETION));
}
const key = generateKey();
const rng = seededRandom(3);
// An account ledger in which half of the suspect's text was "emitted" to 50,000 accounts.
const owners = AccountLedger.create({ window: key.params.window });
pieces.forEach((p, i) => {
  if (i % 2 === 0) owners.record(Math.floor(rng() * LEDGER_ACCOUNTS), p);
});

function pass(options: ClosedModeOptions): { seconds: number; test: ClosedModeTest } {
  const t0 = performance.now();
  const test = new ClosedModeTest([key], options);
  for (const p of pieces) test.readCompletion(p.subarray(16), p.subarray(0, 16));
  test.result();
  return { seconds: (performance.now() - t0) / 1000, test };
}

const variants = { zeroBit: {}, tally: { accounts: true }, tallyAndLedger: { owners } } as const;
const times: Record<string, number[]> = { zeroBit: [], tally: [], tallyAndLedger: [] };
let last: ClosedModeTest | undefined;
for (let r = 0; r < REPS; r++) {
  // Interleaved, so that load changes hit every variant alike.
  for (const [name, options] of Object.entries(variants)) {
    const { seconds, test } = pass(options);
    times[name]!.push(seconds);
    last = test;
  }
}
const passes = Object.fromEntries(
  Object.entries(times).map(([name, t]) => [
    name,
    { medianSeconds: median(t), tokensPerSecond: TOKENS / median(t), ratioToZeroBit: median(t) / median(times.zeroBit!) },
  ]),
);
console.log(JSON.stringify(passes, null, 1));

const attribution = CANDIDATES.map((m) => {
  const ids = Array.from({ length: m }, (_, i) => i);
  const row: Record<string, number> = { candidates: m };
  for (const method of ['tally', 'ledger'] as const) {
    const t0 = performance.now();
    last!.attributeAccounts(ids, { method });
    row[`${method}Seconds`] = (performance.now() - t0) / 1000;
  }
  console.log(JSON.stringify(row));
  return row;
});

const out = {
  quick,
  tokens: TOKENS,
  reps: REPS,
  ledgerAccounts: LEDGER_ACCOUNTS,
  ledger: owners.info(),
  loadAverage: loadavg(),
  passes,
  attribution,
};
writeFileSync(join(RESULTS_DIR, quick ? 'attribution-cost-quick.json' : 'attribution-cost.json'), `${JSON.stringify(out, null, 1)}\n`);
