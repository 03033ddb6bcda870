import { afterEach, describe, expect, it } from 'vitest';
import { setWasmDisabled, wasmSimdAvailable } from '../../src/prf/bias-wasm.js';
import { kernelWorkspace } from '../../src/prf/kernel-workspace.js';
import { biasGreenScalar, tokenUniform } from '../../src/prf/token-mixer.js';
import { rng } from '../helpers/uint32-stream.js';

const V = 200_019;

function logitsOf(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() / 2 ** 32) * 30 - 20;
  out[3] = -Infinity;
  out[n - 1] = -800; // exp underflow region
  return out;
}

afterEach(() => setWasmDisabled(false));

describe.each([false, true])('kernel workspace (JS fallback: %s)', (js) => {
  it('max, exp weights, uniforms and bias match their scalar definitions at V = 200,019', () => {
    setWasmDisabled(js);
    const ws = kernelWorkspace();
    if (!js) expect(ws.simd).toBe(wasmSimdAvailable());
    const logits = logitsOf(V, 5);
    ws.ensure(V);
    ws.logits.set(logits);
    let max = -Infinity;
    for (const x of logits) max = Math.max(max, x);
    expect(ws.maxLogit(V)).toBe(max);
    for (const inv of [1, 1 / 0.7, 100]) {
      const total = ws.expWeights(V, max, inv);
      let ref = 0;
      let worst = 0;
      let badTiny = 0;
      for (let i = 0; i < V; i++) {
        const e = Math.exp((logits[i]! - max) * inv);
        ref += e;
        const w = ws.weights[i]!;
        // Below exp(-708) the kernel gives 0; elsewhere within 1e-15 relative of Math.exp.
        if (e < 1e-300) badTiny += w === 0 || Math.abs(w - e) <= 1e-300 ? 0 : 1;
        else worst = Math.max(worst, Math.abs(w - e) / e);
      }
      expect(badTiny).toBe(0);
      expect(worst).toBeLessThan(js ? 1e-300 : 1e-15);
      expect(Math.abs(total - ref) / ref).toBeLessThan(1e-12);
    }
    ws.fillUniforms(V, 0x12345678, 0xfedcba98);
    for (let v = 0; v < V; v += 997) expect(ws.uniforms[v]).toBe(tokenUniform(0x12345678, 0xfedcba98, v));
    expect(ws.uniforms[V - 1]).toBe(tokenUniform(0x12345678, 0xfedcba98, V - 1));
    const biased = biasGreenScalar(logits.slice(), 7, -9, 0x40000000, 2.5);
    ws.logits.set(logits);
    ws.biasLogits(V, 7, -9, 0x40000000, 2.5);
    let differ = 0;
    for (let v = 0; v < V; v++) differ += Object.is(ws.logits[v], biased[v]) ? 0 : 1;
    expect(differ).toBe(0);
  });

  it('max is NaN when a logit is NaN; SelfHash uniforms pick own values exactly for tokens beating the anchor', () => {
    setWasmDisabled(js);
    const ws = kernelWorkspace();
    const n = 1003;
    ws.ensure(n);
    ws.logits.set(logitsOf(n, 9));
    ws.logits[500] = NaN;
    expect(ws.maxLogit(n)).toBeNaN();
    const r = rng(3);
    const ranks = Uint32Array.from({ length: n }, () => r());
    ranks[10] = ranks[20]!; // a tie in rank: the smaller id wins
    const own = Uint32Array.from({ length: n }, () => r());
    const tables = { ranks, own };
    for (const [aRank, anchor] of [
      [ranks[20]!, 20],
      [0x80000000, 0],
      [0, 5],
      [0xffffffff, 7],
    ] as const) {
      ws.fillSelfUniforms(n, 11, 12, tables, aRank, anchor);
      let differ = 0;
      for (let v = 0; v < n; v++) {
        const mine = ranks[v]! < aRank || (ranks[v] === aRank && v < anchor);
        differ += ws.uniforms[v] === (mine ? own[v] : tokenUniform(11, 12, v)) ? 0 : 1;
      }
      expect(differ).toBe(0);
    }
  });
});
