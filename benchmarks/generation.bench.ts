// Generation speed with the watermark on vs off, on the reference model (order 4):
// temperature 1 (generateTokens' exact rejection fast path) and 0.7 (full-logits path).
// Run: npx tsx benchmarks/generation.bench.ts [--quick]   -> benchmarks/results/generation[-quick].json
import { createWatermark, generateTokens, loadOrTrainReferenceModel } from '../src/index.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import type { Watermark } from '../src/index.js';
import { log, medianOf, QUICK, resultName, round, seededKey, since } from './lib/harness.js';
import { writeResult } from './lib/timing.js';

const t0 = performance.now();
const model = await loadOrTrainReferenceModel({ order: 4 });
const prompts = heldOutPrompts({ count: 64, promptTokens: 32, seed: 14 });
const lefthash = createWatermark(seededKey({ gamma: 0.25, delta: 2, window: 2, seeding: 'lefthash' }, 1), { vocabSize: model.vocabSize });
const selfhash = createWatermark(seededKey({ gamma: 0.25, delta: 2, window: 4, seeding: 'selfhash' }, 2), { vocabSize: model.vocabSize });

const SETUPS = [
  { temperature: 1, tokens: 400, rounds: QUICK ? 5 : 31 },
  { temperature: 0.7, tokens: 60, rounds: QUICK ? 3 : 15 },
];
const CANDIDATES: Record<string, Watermark | null> = { off: null, 'on (LeftHash h=2)': lefthash, 'on (SelfHash h=4)': selfhash };

async function run(temperature: number, tokens: number, wm: Watermark | null, round: number): Promise<number> {
  const prompt = prompts[round % prompts.length]!;
  const start = performance.now();
  let n = 0;
  for await (const _ of generateTokens(model, prompt, { maxTokens: tokens, watermark: wm, temperature, rng: round })) n++;
  return n / ((performance.now() - start) / 1000);
}

const rows = [];
for (const { temperature, tokens, rounds } of SETUPS) {
  const names = Object.keys(CANDIDATES);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) await run(temperature, tokens, CANDIDATES[name]!, 999); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(r + j) % names.length]!; // rotate the order every round
      samples[name]!.push(await run(temperature, tokens, CANDIDATES[name]!, r));
    }
  }
  const off = medianOf(samples.off ?? []);
  for (const name of names) {
    const median = medianOf(samples[name]!);
    rows.push({
      temperature,
      path: temperature === 1 ? 'rejection fast path (sampleNext)' : 'full logits (nextLogits + bias + softmax)',
      watermark: name,
      tokensPerGeneration: tokens,
      rounds,
      tokensPerSecond: Math.round(median),
      msPerToken: round(1000 / median, 3),
      slowdownVsOff: round(off / median, 3),
    });
    log(`T=${temperature} ${name}: ${Math.round(median)} tokens/s`);
  }
}

const path = writeResult(resultName('generation'), {
  benchmark: 'generation',
  quick: QUICK,
  settings: {
    model: 'reference Kneser-Ney order 4, V = 200,019',
    timing: 'median tokens/s over interleaved rounds (order rotated each round), one generation per sample',
  },
  rows,
  seconds: since(t0),
});
log(`wrote ${path} in ${since(t0)} s`);
