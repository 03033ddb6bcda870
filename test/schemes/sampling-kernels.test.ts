import { afterEach, describe, expect, it } from 'vitest';
import { setWasmDisabled } from '../../src/prf/bias-wasm.js';
import { samplingWeights } from '../../src/schemes/sampler.js';
import { tournamentChoice, tournamentChoiceInWorkspace, tournamentWeights } from '../../src/schemes/tournament-sampler.js';
import { gumbelChoice, gumbelChoiceInWorkspace } from '../../src/schemes/gumbel-sampler.js';
import { kernelWorkspace } from '../../src/prf/kernel-workspace.js';
import { seededRandom } from '../../src/base/rng.js';
import { rng } from '../helpers/uint32-stream.js';

const V = 200_019;

function lmLogits(n: number, seed: number): Float32Array {
  // Gumbel-distributed logits with a few strong tokens: LM-like spread of ~30 nats.
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = -Math.log(-Math.log((r() + 0.5) / 2 ** 32)) * 2 + (i % 4001 === 0 ? 12 : 0);
  return out;
}

/**
 * The tournament recursion, O(layers x n): p'(v) = p(v) (1 + g(v) - G) with 1 - G computed as
 * the g = 0 share of the mass (the same quantity when p sums to 1, without cancellation when G
 * is near 1, and without the drift that compounds over layers when rounding leaves sum(p) != 1).
 */
function tournamentReference(weights: Float64Array, uniforms: Uint32Array, layers: number): Float64Array {
  const n = weights.length;
  const p = new Float64Array(n);
  const total = weights.reduce((a, b) => a + b, 0);
  for (let j = 0; j < n; j++) p[j] = weights[j]! / total;
  for (let layer = 0; layer < layers; layer++) {
    let zeros = 0;
    let ones = 0;
    for (let j = 0; j < n; j++) {
      if ((uniforms[j]! >>> layer) & 1) ones += p[j]!;
      else zeros += p[j]!;
    }
    zeros /= zeros + ones;
    for (let j = 0; j < n; j++) p[j]! *= ((uniforms[j]! >>> layer) & 1) + zeros;
  }
  return p;
}

/** Top-p as first written: sort every token by decreasing logit, keep the smallest prefix reaching p. */
function nucleusReference(logits: Float32Array, inv: number, topP: number): Set<number> {
  let max = -Infinity;
  for (const x of logits) max = Math.max(max, x);
  const ids = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const w = ids.map((i) => Math.exp((logits[i]! - max) * inv));
  const total = w.reduce((a, b) => a + b, 0);
  let mass = 0;
  let kept = 0;
  while (kept < w.length && mass < topP * total) mass += w[kept++]!;
  return new Set(ids.slice(0, kept));
}

afterEach(() => setWasmDisabled(false));

describe('tournament closed form', () => {
  it.each([
    [V, 30],
    [V, 32],
    [V, 17],
    [5000, 30],
    [70_000, 7],
  ])(
    'equals the layer-by-layer recursion (n = %i, %i layers) within 1e-10 relative per token and 1e-12 in total variation',
    (n, layers) => {
      const logits = lmLogits(n, n + layers);
      const dist = samplingWeights(logits);
      const weights = Float64Array.from(dist.weights);
      const r = rng(layers);
      const uniforms = Uint32Array.from({ length: n }, () => r());
      const ref = tournamentReference(weights, uniforms, layers);
      const out = new Float64Array(n);
      const total = tournamentWeights(weights, uniforms, layers, out);
      let refTotal = 0;
      let sum = 0;
      for (let j = 0; j < n; j++) {
        refTotal += ref[j]!;
        sum += out[j]!;
      }
      expect(Math.abs(total - sum) / sum).toBeLessThan(1e-12);
      let worst = 0;
      let tv = 0;
      for (let j = 0; j < n; j++) {
        const [a, b] = [out[j]! / total, ref[j]! / refTotal];
        tv += Math.abs(a - b) / 2;
        if (b > 1e-200) worst = Math.max(worst, Math.abs(a - b) / b);
      }
      expect(worst).toBeLessThan(1e-10);
      expect(tv).toBeLessThan(1e-12);
    },
  );
});

describe.each([false, true])('samplingWeights at V = 200,019 (JS fallback: %s)', (js) => {
  it('top-p keeps exactly the sorted nucleus', () => {
    setWasmDisabled(js);
    const cases = js
      ? ([[1, 0.7, 0.95]] as const)
      : ([
          [2, 1, 0.9],
          [3, 0.3, 0.5],
        ] as const);
    for (const [seed, temperature, topP] of cases) {
      const logits = lmLogits(V, seed);
      const dist = samplingWeights(logits, { temperature, topP });
      const ref = nucleusReference(logits, 1 / temperature, topP);
      expect(dist.ids!.length).toBe(ref.size);
      let missing = 0;
      for (const id of dist.ids!) missing += ref.has(id) ? 0 : 1;
      expect(missing).toBe(0);
      let max = -Infinity;
      for (const x of logits) max = Math.max(max, x);
      dist.ids!.forEach((id, j) => {
        if (j % 50 === 0) expect(dist.weights[j]).toBeCloseTo(Math.exp((logits[id]! - max) / temperature), 14);
      });
    }
  });

  it('top-k keeps the k largest logits in decreasing order; T = 0 is the first argmax; +Infinity logits share the mass', () => {
    setWasmDisabled(js);
    const logits = lmLogits(V, 8);
    const dist = samplingWeights(logits, { topK: 40, temperature: 0.8 });
    const sorted = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]! || a - b);
    expect(dist.ids).toEqual(sorted.slice(0, 40));
    expect(samplingWeights(logits, { temperature: 0 }).ids).toEqual([sorted[0]]);
    const inf = logits.slice();
    inf[7] = Infinity;
    inf[70_000] = Infinity;
    expect(samplingWeights(inf).ids).toEqual([7, 70_000]);
    const nan = logits.slice();
    nan[123_456] = NaN;
    expect(() => samplingWeights(nan)).toThrow(/NaN at index 123456/);
  });
});

describe('workspace samplers at V = 200,019 (vector Gumbel scan, WASM tournament passes)', () => {
  it('choose exactly the tokens of the plain-array samplers for the same uniforms and rng', () => {
    const ws = kernelWorkspace();
    ws.ensure(V);
    ws.logits.set(lmLogits(V, 77));
    samplingWeightsInPlace();
    const weights = ws.weights.slice(0, V);
    const r = rng(99);
    let same = 0;
    for (let i = 0; i < 12; i++) {
      for (let v = 0; v < V; v++) ws.uniforms[v] = r();
      const uniforms = ws.uniforms.slice(0, V);
      same += gumbelChoiceInWorkspace(ws, V) === gumbelChoice({ weights }, uniforms) ? 1 : 0;
      const layers = i % 2 === 0 ? 30 : 13;
      same +=
        tournamentChoiceInWorkspace(ws, V, layers, seededRandom(i)) === tournamentChoice({ weights }, uniforms, layers, seededRandom(i))
          ? 1
          : 0;
    }
    expect(same).toBe(24);

    function samplingWeightsInPlace(): void {
      const max = ws.maxLogit(V);
      ws.expWeights(V, max, 1);
    }
  });
});
