// Account attribution simulation: a provider has 10,000 accounts; a student n-gram model is
// trained on human text mixed with the watermarked outputs of 3 accounts (the guilty ones) and,
// in smaller amounts, of 30 other accounts (background contributors). 100 more accounts
// received as much output as the guilty ones together but were not used (innocent emitters:
// their windows are in the provider's account ledger). From 1M tokens of the student's
// outputs, one closed-mode pass gives the zero-bit test, the per-account tally and the
// per-account ledger counts; every one of the 10,000 accounts is then tested both ways
// (Holm). Also: a clean student (trained on unwatermarked teacher text) as a null control.
// Run: npx tsx benchmarks/attribution.bench.ts [--quick] [--rhos 0.05,0.1] [--reps 3] [--emitters 100]
//      [--emitter-volume 1] [--delta 2] [--account-delta 2]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey, type WatermarkKey } from '../src/key/key.js';
import type { LanguageModel } from '../src/model/language-model.js';
import { corpusTokenStreams } from '../src/node/corpora.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import { loadOrTrainReferenceModel } from '../src/node/model-cache.js';
import { ClosedModeTest } from '../src/radioactivity/closed-mode.js';
import { AccountLedger } from '../src/ledger/account-ledger.js';
import type { AttributionReport } from '../src/accounts/attribute-accounts.js';
import { WindowSet } from '../src/windows/window-filter.js';
import { seededRandom, type RandomSource } from '../src/base/rng.js';
import { clopperPearson } from '../src/stats/index.js';
import { concatIds } from '../src/base/token-ids.js';
import { createWatermark } from '../src/watermark/watermark.js';
import { median, RESULTS_DIR } from './lib/timing.js';
import { firstTokens, generateDocs, takeDocs, trainStudent, type Doc } from './lib/distillation-docs.js';
import { loadavg } from 'node:os';

const quick = process.argv.includes('--quick');
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const CFG = {
  human: quick ? 300_000 : 2_000_000,
  reps: Number(argValue('--reps') ?? (quick ? 1 : 3)),
  rhos: (argValue('--rhos') ?? (quick ? '0.05,0.2' : '0.01,0.02,0.05,0.1,0.2')).split(',').map(Number),
  suspect: quick ? 200_000 : 1_000_000,
  accounts: 10_000,
  guilty: 3,
  background: 30,
  // Background accounts together contribute this fraction of the guilty accounts' volume.
  backgroundVolume: 0.25,
  // Accounts that received output (recorded in the ledger) that the student never saw, and
  // their total volume relative to the guilty accounts'.
  emitters: Number(argValue('--emitters') ?? 100),
  emitterVolume: Number(argValue('--emitter-volume') ?? 1),
  alpha: 1e-5,
  // Logit biases of the green list (zero-bit) and of the account sets.
  delta: Number(argValue('--delta') ?? 2),
  accountDelta: Number(argValue('--account-delta') ?? 2),
};
const STUDENT_ORDER = 3;
const TEXT_TOKENS = 256;
const PROMPT_TOKENS = 16;
const VOCAB = 200_019;
const LEVELS = [0.1, 0.01, 0.001];
const t0 = performance.now();
const log = (s: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(0)}s] ${s}`);

function distinctIds(n: number, rng: RandomSource): number[] {
  const ids = new Set<number>();
  while (ids.size < n) ids.add(Math.floor(rng() * 2 ** 32));
  return [...ids];
}

/** Watermarked tokens for a total watermarked share rho of the training set. */
const watermarkedTokens = (rho: number) => Math.round((rho / (1 - rho)) * CFG.human);

const train = (human: Uint32Array[], extra: Doc[]) => trainStudent(human, extra, STUDENT_ORDER, VOCAB);

// Teacher (or student, with key null) texts; watermarked with the account's id when given.
function generate(
  model: LanguageModel,
  prompts: Uint32Array[],
  total: number,
  key: WatermarkKey | null,
  account: number | undefined,
  rng: RandomSource,
  offset = 0,
) {
  const watermark = key ? createWatermark(key, { vocabSize: VOCAB, account, accountDelta: CFG.accountDelta }) : null;
  return generateDocs(model, prompts, total, rng, { watermark, account, offset, textTokens: TEXT_TOKENS });
}

// One closed-mode pass over the suspect's outputs, then every candidate tested both ways.
function evaluate(
  key: WatermarkKey,
  outputs: Doc[],
  candidates: number[],
  roles: Map<number, string>,
  owners: AccountLedger,
  filter?: WindowSet,
) {
  const test = new ClosedModeTest([key], { owners, alpha: CFG.alpha, filter });
  for (const d of outputs) test.excludePrompt(d.prompt);
  for (const d of outputs) test.readCompletion(d.text, d.prompt);
  const zeroBit = test.result();
  const t = performance.now();
  const tally = test.attributeAccounts(candidates, { top: candidates.length, method: 'tally' });
  const attributionSeconds = (performance.now() - t) / 1000;
  const ledger = test.attributeAccounts(candidates, { top: candidates.length, method: 'ledger' });
  const decoded = test.decodeAccount();
  return {
    zeroBitLog10P: zeroBit.log10PValue,
    scored: zeroBit.scored,
    tally: summarizeReport(tally, roles),
    ledger: summarizeReport(ledger, roles),
    decoded: {
      account: decoded.account,
      role: decoded.account === null ? null : (roles.get(decoded.account) ?? 'innocent'),
      log10P: decoded.log10PValue,
      certified: decoded.certified,
    },
    attributionSeconds,
  };
}

function summarizeReport(report: AttributionReport, roles: Map<number, string>) {
  const role = (account: number) => roles.get(account) ?? 'innocent';
  const ranked = report.accounts.map((a) => a.account);
  const innocents = report.accounts.filter((a) => role(a.account) === 'innocent' || role(a.account) === 'emitter');
  // Ledger method: only innocents with scored tuples carry a test; the others have p = 1.
  const tested = report.method === 'ledger' ? innocents.filter((a) => (a.scored ?? 0) > 0) : innocents;
  return {
    guilty: report.accounts
      .filter((a) => role(a.account) === 'guilty')
      .map((a) => ({
        rank: ranked.indexOf(a.account) + 1,
        scored: a.scored,
        log10P: a.log10PValue,
        adjustedLog10P: a.adjustedLog10PValue,
        significant: a.significant,
      })),
    background: summarize(report.accounts.filter((a) => role(a.account) === 'background')),
    innocent: {
      count: innocents.length,
      tested: tested.length,
      significant: innocents.filter((a) => a.significant).length,
      bestRank: Math.min(...innocents.map((a) => ranked.indexOf(a.account) + 1)),
      minLog10P: Math.min(...innocents.map((a) => a.log10PValue)),
      rejectedAt: LEVELS.map((level) => tested.filter((a) => a.log10PValue <= Math.log10(level)).length),
    },
  };
}

function summarize(accounts: { log10PValue: number; significant: boolean }[]) {
  return {
    count: accounts.length,
    significant: accounts.filter((a) => a.significant).length,
    medianLog10P: median(accounts.map((a) => a.log10PValue)),
  };
}

const rows: Record<string, unknown>[] = [];
const nullRows: Record<string, unknown>[] = [];

async function main(): Promise<void> {
  const teacher = await loadOrTrainReferenceModel({ order: 4 });
  const human = firstTokens(corpusTokenStreams(), CFG.human);
  const prompts = heldOutPrompts({ count: 4000, promptTokens: PROMPT_TOKENS, seed: 7 });
  const maxWatermarked = watermarkedTokens(Math.max(...CFG.rhos));
  log(`teacher order 4, ${CFG.human} human tokens, ${CFG.accounts} accounts (${CFG.guilty} guilty, ${CFG.background} background)`);
  for (let rep = 0; rep < CFG.reps; rep++) {
    const rng = seededRandom(31 + rep);
    const key = generateKey({ delta: CFG.delta });
    const candidates = distinctIds(CFG.accounts, rng);
    const guilty = candidates.slice(0, CFG.guilty);
    const background = candidates.slice(CFG.guilty, CFG.guilty + CFG.background);
    const emitters = candidates.slice(CFG.guilty + CFG.background, CFG.guilty + CFG.background + CFG.emitters);
    const roles = new Map<number, string>([
      ...guilty.map((a) => [a, 'guilty'] as const),
      ...background.map((a) => [a, 'background'] as const),
      ...emitters.map((a) => [a, 'emitter'] as const),
    ]);
    const perGuilty = Math.ceil(maxWatermarked / CFG.guilty);
    const perBackground = Math.ceil((CFG.backgroundVolume * maxWatermarked) / CFG.background);
    const pools: Doc[][] = [];
    for (const [i, a] of guilty.entries()) pools.push(await generate(teacher, prompts, perGuilty, key, a, rng, 500 * i));
    const backgroundPools: Doc[][] = [];
    for (const [i, a] of background.entries())
      backgroundPools.push(await generate(teacher, prompts, perBackground, key, a, rng, 2000 + 50 * i));
    const perEmitter = Math.ceil((CFG.emitterVolume * maxWatermarked) / CFG.emitters);
    const emitterPools: Doc[][] = [];
    for (const [i, a] of emitters.entries()) emitterPools.push(await generate(teacher, prompts, perEmitter, key, a, rng, 3000 + 7 * i));
    log(`rep ${rep}: ${perGuilty} tokens per guilty account, ${perBackground} per background account, ${perEmitter} per innocent emitter`);
    for (const rho of CFG.rhos) {
      const share = watermarkedTokens(rho);
      const used = [
        ...pools.flatMap((pool) => takeDocs(pool, share / CFG.guilty)),
        ...backgroundPools.flatMap((pool) => takeDocs(pool, (CFG.backgroundVolume * share) / CFG.background)),
      ];
      const student = train(human, used);
      const outputs = await generate(student, prompts, CFG.suspect, null, undefined, rng, 17);
      const filter = WindowSet.fromTexts(
        used.map((d) => concatIds(d.prompt, d.text)),
        key.params.window,
      );
      // The account ledger holds every output the provider sent at this volume, used or not.
      const owners = AccountLedger.create({ window: key.params.window });
      for (const d of used) owners.record(d.account!, concatIds(d.prompt, d.text));
      for (const pool of emitterPools)
        for (const d of takeDocs(pool, (CFG.emitterVolume * share) / CFG.emitters)) owners.record(d.account!, concatIds(d.prompt, d.text));
      const unfiltered = evaluate(key, outputs, candidates, roles, owners);
      const filtered = evaluate(key, outputs, candidates, roles, owners, filter);
      rows.push({ rep, rho, watermarkedTokens: used.reduce((s, d) => s + d.text.length, 0), unfiltered, filtered });
      writeOut();
      for (const [name, r] of [
        ['closed', unfiltered],
        ['filtered', filtered],
      ] as const) {
        for (const method of ['tally', 'ledger'] as const) {
          const m = r[method];
          log(
            `rep ${rep} rho=${rho} ${name}/${method}: zero-bit ${r.zeroBitLog10P.toFixed(1)}; guilty ranks ${m.guilty.map((g) => g.rank).join(',')} ` +
              `adj log10 p ${m.guilty.map((g) => g.adjustedLog10P.toFixed(1)).join(',')}; background sig ${m.background.significant}/${m.background.count}; ` +
              `innocent sig ${m.innocent.significant}, raw<=0.01 ${m.innocent.rejectedAt[1]}/${m.innocent.tested}`,
          );
        }
      }
    }
    // Null control: same pipeline, but the student learned from UNWATERMARKED teacher outputs.
    const clean = await generate(teacher, prompts, watermarkedTokens(0.1), null, undefined, rng);
    const cleanStudent = train(human, clean);
    const cleanOutputs = await generate(cleanStudent, prompts, CFG.suspect, null, undefined, rng, 17);
    // Its ledger: the same accounts received watermarked outputs, none of which the student saw.
    const owners = AccountLedger.create({ window: key.params.window });
    for (const pool of [...pools, ...backgroundPools, ...emitterPools])
      for (const d of pool) owners.record(d.account!, concatIds(d.prompt, d.text));
    const nullResult = evaluate(key, cleanOutputs, candidates, new Map(), owners);
    nullRows.push({ rep, rho: 0.1, unfiltered: nullResult });
    log(
      `rep ${rep} clean student: tally ${JSON.stringify(nullResult.tally.innocent)}; ledger ${JSON.stringify(nullResult.ledger.innocent)}`,
    );
    writeOut();
  }
  writeOut(true);
}

function writeOut(final = false): void {
  type Result = ReturnType<typeof evaluate>;
  const methods = ['tally', 'ledger'] as const;
  const all = rows.flatMap((r) => [r.unfiltered as Result, r.filtered as Result]).concat(nullRows.map((r) => r.unfiltered as Result));
  const fpr = Object.fromEntries(
    methods.map((method) => {
      const tests = all.reduce((s, r) => s + r[method].innocent.tested, 0);
      return [
        method,
        LEVELS.map((level, i) => {
          const rejected = all.reduce((s, r) => s + r[method].innocent.rejectedAt[i]!, 0);
          const ci = clopperPearson(rejected, Math.max(1, tests), 0.95);
          return { level, rejected, tests, rate: rejected / Math.max(1, tests), ci: [ci.lower, ci.upper] };
        }),
      ];
    }),
  );
  const summary = CFG.rhos.flatMap((rho) =>
    (['unfiltered', 'filtered'] as const).flatMap((mode) =>
      methods.map((method) => {
        const sel = rows.filter((r) => r.rho === rho).map((r) => r[mode] as Result);
        const guilty = sel.flatMap((r) => r[method].guilty);
        return {
          rho,
          mode,
          method,
          runs: sel.length,
          medianZeroBitLog10P: median(sel.map((r) => r.zeroBitLog10P)),
          guiltyTop3: sel.filter((r) => r[method].guilty.every((g) => g.rank <= CFG.guilty)).length,
          guiltySignificant: guilty.filter((g) => g.significant).length,
          guiltyTested: guilty.length,
          medianGuiltyAdjustedLog10P: median(guilty.map((g) => g.adjustedLog10P)),
          worstGuiltyAdjustedLog10P: Math.max(...guilty.map((g) => g.adjustedLog10P)),
          backgroundSignificant: sel.reduce((s, r) => s + r[method].background.significant, 0),
          innocentSignificant: sel.reduce((s, r) => s + r[method].innocent.significant, 0),
        };
      }),
    ),
  );
  const out = {
    quick,
    complete: final,
    config: CFG,
    studentOrder: STUDENT_ORDER,
    loadAverage: loadavg(),
    seconds: (performance.now() - t0) / 1000,
    summary,
    innocentFalsePositiveRate: fpr,
    rows,
    nullControl: nullRows,
  };
  const variant =
    (CFG.delta === 2 && CFG.accountDelta === 2 ? '' : `-d${CFG.delta}-a${CFG.accountDelta}`) +
    (CFG.emitterVolume === 1 ? '' : `-emit${CFG.emitterVolume}`) +
    (CFG.emitters === 100 ? '' : `-emitters${CFG.emitters}`);
  writeFileSync(join(RESULTS_DIR, `attribution${quick ? '-quick' : ''}${variant}.json`), `${JSON.stringify(out, null, 1)}\n`);
  if (!final) return;
  console.log('rho    mode        method  zero-bit  guilty top-3  guilty sig  median adj  worst adj  background sig  innocent sig');
  for (const s of summary) {
    console.log(
      `${String(s.rho).padEnd(6)} ${s.mode.padEnd(11)} ${s.method.padEnd(7)} ${s.medianZeroBitLog10P.toFixed(1).padStart(8)}  ${`${s.guiltyTop3}/${s.runs}`.padStart(12)}  ${`${s.guiltySignificant}/${s.guiltyTested}`.padStart(10)}  ${s.medianGuiltyAdjustedLog10P.toFixed(1).padStart(10)}  ${s.worstGuiltyAdjustedLog10P.toFixed(1).padStart(9)}  ${String(s.backgroundSignificant).padStart(14)}  ${String(s.innocentSignificant).padStart(12)}`,
    );
  }
  for (const method of methods) {
    for (const f of fpr[method]!)
      console.log(
        `${method}: innocent raw p <= ${f.level}: ${f.rejected}/${f.tests} = ${f.rate.toExponential(2)} [${f.ci[0]!.toExponential(2)}, ${f.ci[1]!.toExponential(2)}]`,
      );
  }
}

await main();
