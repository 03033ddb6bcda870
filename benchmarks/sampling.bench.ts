// Cost of one full-vocabulary watermarked sample at V = 200,019 (o200k_base) per scheme, as a
// ratio to a plain JS softmax pass (max, exp, sum) over the same logits, timed interleaved in
// the same process. Settings: T = 1, and T = 0.7 with top-p 0.95. Targets (issue 17): kgw <= 1.0x,
// gumbel <= 1.5x, synthid (30 layers) <= 3x. Also the same samples on the JS fallback (WASM off),
// and single-token draws per second for the distortion-free test's setting.
// Run: npx tsx benchmarks/sampling.bench.ts [--quick]   -> benchmarks/results/sampling[-quick].json
import { createWatermark, type Watermark } from '../src/index.js';
import { type Scheme } from '../src/key/params.js';
import { setWasmDisabled, wasmSimdAvailable } from '../src/prf/bias-wasm.js';
import { QUICK, resultName, round, seededKey } from './lib/harness.js';
import { interleaved, writeResult } from './lib/timing.js';

const V = 200_019;
const TARGETS: Record<Scheme, number> = { kgw: 1.0, gumbel: 1.5, synthid: 3.0 };
const t0 = performance.now();

// LM-like logits: Gumbel noise of scale 2 (a ~30-nat spread) and a few strong tokens.
let s = 0x2545f491;
const rand = () => {
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  return ((s >>> 0) + 0.5) / 2 ** 32;
};
const logits = new Float32Array(V);
for (let i = 0; i < V; i++) logits[i] = -Math.log(-Math.log(rand())) * 2 + (i % 5003 === 0 ? 10 : 0);

function softmaxPass(l: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < l.length; i++) if (l[i]! > max) max = l[i]!;
  let total = 0;
  for (let i = 0; i < l.length; i++) total += Math.exp(l[i]! - max);
  return total;
}

const watermarks = Object.fromEntries(
  (['kgw', 'gumbel', 'synthid'] as Scheme[]).map((scheme, i) => [
    scheme,
    createWatermark(seededKey({ scheme, window: 2, gamma: 0.25, delta: 2, layers: 30 }, 100 + i)),
  ]),
) as Record<Scheme, Watermark>;

// A fresh window every call (a new context seed, as in generation).
let step = 0;
const sampler = (wm: Watermark, options: { temperature: number; topP?: number }) => () => {
  step++;
  return wm.sample([step % 199_999, (step * 7919) % 200_003], logits, { ...options, rng: step });
};

const settings = [{ temperature: 1 }, { temperature: 0.7, topP: 0.95 }];
const rows = [];
let sink = 0;
for (const wasm of wasmSimdAvailable() ? [true, false] : [false]) {
  setWasmDisabled(!wasm);
  for (const options of settings) {
    const candidates: Record<string, () => unknown> = { 'js softmax pass': () => (sink += softmaxPass(logits)) };
    for (const scheme of Object.keys(watermarks) as Scheme[]) candidates[scheme] = sampler(watermarks[scheme], options);
    const timed = interleaved(candidates, { rounds: QUICK ? 11 : 41, warmup: 3 });
    const base = timed['js softmax pass']!.median;
    for (const scheme of Object.keys(watermarks) as Scheme[]) {
      const ratio = timed[scheme]!.median / base;
      rows.push({
        kernels: wasm ? 'wasm simd' : 'js fallback',
        temperature: options.temperature,
        topP: options.topP ?? 1,
        scheme,
        msPerSample: round(timed[scheme]!.median * 1000, 3),
        baselineMs: round(base * 1000, 3),
        ratio: round(ratio, 3),
        target: TARGETS[scheme],
        meetsTarget: ratio <= TARGETS[scheme],
      });
      console.log(`${wasm ? 'wasm' : 'js  '} T=${options.temperature} top-p=${options.topP ?? 1} ${scheme}: ${round(ratio, 2)}x`);
    }
  }
}
setWasmDisabled(false);

const path = writeResult(resultName('sampling'), {
  benchmark: 'sampling',
  quick: QUICK,
  settings: {
    vocabulary: V,
    logits: 'Gumbel(0, 2) noise plus +10 on every 5003rd token (LM-like ~30-nat spread); same logits for every candidate',
    keys: 'window 2 lefthash, gamma 0.25, delta 2 (kgw), 30 layers (synthid); a fresh window per call',
    baseline: 'plain JS loop: max, then sum of Math.exp(l - max), over the same Float32Array',
    timing: 'median of interleaved rounds (order rotated each round); ratio = scheme median / baseline median',
  },
  rows,
  seconds: round((performance.now() - t0) / 1000, 1),
  sink: sink > 0,
});
console.log(`wrote ${path}`);
