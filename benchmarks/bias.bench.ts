// Cost of biasing the logits of one sampling step: biasGreen over a 200,019-token vocabulary
// (o200k_base) versus a plain JS loop that adds 0 to every logit, measured interleaved in the
// same process, as a ratio of medians. Project target: ratio <= 2.0.
// Run: npx tsx benchmarks/bias.bench.ts   (writes benchmarks/results/bias.json)
import { setWasmDisabled, wasmSimdAvailable } from '../src/prf/bias-wasm.js';
import { biasGreen, biasGreenScalar, greenMask, greenThreshold } from '../src/prf/token-mixer.js';
import { interleaved, median, writeResult } from './lib/timing.js';

const V = 200_019;
const TARGET = 2.0;
const threshold = greenThreshold(0.25);
const delta = 2.0;

// Logits like a model's: roughly normal, a few large.
let s = 0x9e3779b9;
const rand = () => {
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  return (s >>> 0) / 2 ** 32;
};
const logits = new Float32Array(V);
for (let i = 0; i < V; i++) logits[i] = (rand() + rand() + rand() - 1.5) * 4;

// A new context seed every step, as in generation.
const seeds = Uint32Array.from({ length: 256 }, () => (rand() * 2 ** 32) >>> 0);
let step = 0;
const nextSeed = () => (step = (step + 2) & 255);

function addZero(a: Float32Array): void {
  const n = a.length;
  for (let i = 0; i < n; i++) a[i]! += 0;
}
function addZeroLength(a: Float32Array): void {
  for (let i = 0; i < a.length; i++) a[i]! += 0;
}

const wasm = wasmSimdAvailable();
const mask = new Uint8Array(V);
const candidates = {
  addZero: () => addZero(logits),
  addZeroLength: () => addZeroLength(logits),
  biasGreen: () => {
    const k = nextSeed();
    biasGreen(logits, seeds[k]!, seeds[k + 1]!, threshold, delta);
  },
  biasGreenJs: () => {
    const k = nextSeed();
    biasGreenScalar(logits, seeds[k]!, seeds[k + 1]!, threshold, delta);
  },
  greenMask: () => {
    const k = nextSeed();
    greenMask(seeds[k]!, seeds[k + 1]!, threshold, V, mask);
  },
  greenMaskJs: () => {
    const k = nextSeed();
    setWasmDisabled(true);
    greenMask(seeds[k]!, seeds[k + 1]!, threshold, V, mask);
    setWasmDisabled(false);
  },
};

const r = interleaved(candidates, { rounds: 301, inner: 2, warmup: 20 });
const baseline = Math.min(r.addZero.median, r.addZeroLength.median);
const baselineName = r.addZero.median <= r.addZeroLength.median ? 'addZero' : 'addZeroLength';
// Paired per-round ratios against the baseline, then their median (robust to drift).
const pairedRatio = (name: keyof typeof r) =>
  median(r[name].samples.map((t, i) => t / Math.min(r.addZero.samples[i]!, r.addZeroLength.samples[i]!)));

const us = (x: number) => Math.round(x * 1e7) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const result = {
  benchmark: 'bias',
  description:
    'biasGreen (gamma 0.25, delta 2) over 200,019 float32 logits vs a plain JS loop adding 0 to every logit; ' +
    'interleaved rounds, medians; ratio = median(biasGreen) / median(faster add-0 loop).',
  vocabularySize: V,
  wasmSimd: wasm,
  rounds: r.addZero.samples.length,
  microseconds: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { median: us(v.median), p10: us(v.p10) }])),
  baseline: baselineName,
  ratio: {
    biasGreen: round3(r.biasGreen.median / baseline),
    biasGreenJs: round3(r.biasGreenJs.median / baseline),
    greenMask: round3(r.greenMask.median / baseline),
    greenMaskJs: round3(r.greenMaskJs.median / baseline),
  },
  pairedRatio: {
    biasGreen: round3(pairedRatio('biasGreen')),
    biasGreenJs: round3(pairedRatio('biasGreenJs')),
  },
  nsPerToken: {
    biasGreen: Math.round((r.biasGreen.median / V) * 1e11) / 100,
    biasGreenJs: Math.round((r.biasGreenJs.median / V) * 1e11) / 100,
    addZero: Math.round((baseline / V) * 1e11) / 100,
  },
  target: { ratio: TARGET, met: r.biasGreen.median / baseline <= TARGET },
};
const path = writeResult('bias', result);
console.log(JSON.stringify(result, null, 2));
console.log(`wrote ${path}`);
