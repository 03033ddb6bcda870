// Generation speed per scheme with the watermark on vs off, on the reference model (order 4,
// V = 200,019), through the full-logits path (nextLogits + watermark.sample over all V logits;
// the model's exact sampleNext shortcut is hidden so that every scheme pays the same path).
// Settings: T = 1, and T = 0.7 with top-p 0.95.
// Run: npx tsx benchmarks/generation-schemes.bench.ts [--quick]   -> benchmarks/results/generation-schemes[-quick].json
import { createWatermark, generateTokens, loadOrTrainReferenceModel } from '../src/index.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import type { LanguageModel, Watermark } from '../src/index.js';
import { log, medianOf, QUICK, resultName, round, seededKey, since } from './lib/harness.js';
import { writeResult } from './lib/timing.js';

const t0 = performance.now();
const reference = await loadOrTrainReferenceModel({ order: 4 });
// Logits only: generateTokens then takes the full-logits path for every candidate.
const model: LanguageModel = { vocabSize: reference.vocabSize, nextLogits: (c, out) => reference.nextLogits(c, out) };
const prompts = heldOutPrompts({ count: 64, promptTokens: 32, seed: 14 });
const vocabSize = model.vocabSize;
const CANDIDATES: Record<string, Watermark | null> = {
  off: null,
  'kgw (LeftHash h=2)': createWatermark(seededKey({ scheme: 'kgw', window: 2 }, 1), { vocabSize }),
  'kgw (SelfHash h=4)': createWatermark(seededKey({ scheme: 'kgw', window: 4, seeding: 'selfhash' }, 2), { vocabSize }),
  'gumbel (h=2)': createWatermark(seededKey({ scheme: 'gumbel', window: 2 }, 3), { vocabSize }),
  'synthid (h=2, 30 layers)': createWatermark(seededKey({ scheme: 'synthid', window: 2, layers: 30 }, 4), { vocabSize }),
};
const SETUPS = [
  { temperature: 1, topP: 1, tokens: 60, rounds: QUICK ? 3 : 9 },
  { temperature: 0.7, topP: 0.95, tokens: 60, rounds: QUICK ? 3 : 9 },
];

async function run(temperature: number, topP: number, tokens: number, wm: Watermark | null, round: number): Promise<number> {
  const prompt = prompts[round % prompts.length]!;
  const start = performance.now();
  let n = 0;
  for await (const _ of generateTokens(model, prompt, { maxTokens: tokens, watermark: wm, temperature, topP, rng: round })) n++;
  return n / ((performance.now() - start) / 1000);
}

const rows = [];
for (const { temperature, topP, tokens, rounds } of SETUPS) {
  const names = Object.keys(CANDIDATES);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) await run(temperature, topP, 10, CANDIDATES[name]!, 999); // warm-up (SelfHash tables, JIT)
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(r + j) % names.length]!; // rotate the order every round
      samples[name]!.push(await run(temperature, topP, tokens, CANDIDATES[name]!, r));
    }
  }
  const off = medianOf(samples.off!);
  for (const name of names) {
    const median = medianOf(samples[name]!);
    rows.push({
      temperature,
      topP,
      path: 'full logits (nextLogits + watermark.sample)',
      watermark: name,
      tokensPerGeneration: tokens,
      rounds,
      tokensPerSecond: Math.round(median),
      msPerToken: round(1000 / median, 3),
      slowdownVsOff: round(off / median, 3),
    });
    log(`T=${temperature} top-p=${topP} ${name}: ${Math.round(median)} tokens/s`);
  }
}

const path = writeResult(resultName('generation-schemes'), {
  benchmark: 'generation-schemes',
  quick: QUICK,
  settings: {
    model: 'reference Kneser-Ney order 4, V = 200,019, logits only (full-logits path for every candidate)',
    timing: 'median tokens/s over interleaved rounds (order rotated each round), one generation per sample',
  },
  rows,
  seconds: since(t0),
});
log(`wrote ${path} in ${since(t0)} s`);
