// Distortion-freeness at the real vocabulary size (V = 200,019, o200k_base): 40,000 single-token
// draws per scheme with a fixed key, one fresh context (hence context seed) per draw, through
// the kernels `wm.sample` runs on the whole vocabulary (workspace uniforms, then the vector
// Gumbel scan or the closed-form tournament). The softmax weights are computed once, since the
// logits are the same at every draw; a few draws are checked against `wm.sample` end to end.
// H0 of the chi-square: the drawn tokens are i.i.d. from softmax(logits).
import { describe, expect, it } from 'vitest';
import { createWatermark, log10GammaTail } from '../../src/index.js';
import { seededRandom } from '../../src/base/rng.js';
import { kernelWorkspace } from '../../src/prf/kernel-workspace.js';
import { GreenList } from '../../src/schemes/green-list.js';
import { gumbelChoiceInWorkspace } from '../../src/schemes/gumbel-sampler.js';
import { workspaceWeights } from '../../src/schemes/sampler.js';
import { tournamentChoiceInWorkspace } from '../../src/schemes/tournament-sampler.js';
import { fixedKey } from '../helpers/fixed-key.js';
import { rng } from '../helpers/uint32-stream.js';

const V = 200_019;
const DRAWS = 40_000;
/** Bins hold at least this expected count (tokens grouped in id order below it). */
const MIN_EXPECTED = 25;

// LM-like logits: Gumbel(0, 2) noise (a ~30-nat spread over the vocabulary) and 40 strong tokens.
function lmLogits(): Float32Array {
  const r = rng(2024);
  const out = new Float32Array(V);
  for (let i = 0; i < V; i++) out[i] = -Math.log(-Math.log((r() + 0.5) / 2 ** 32)) * 2 + (i % 5003 === 0 ? 9 : 0);
  return out;
}

/** A fixed partition of the tokens: heavy tokens alone, the rest grouped in id order. */
function bins(p: Float64Array): Int32Array {
  const binOf = new Int32Array(V);
  let bin = 0;
  let mass = 0;
  for (let v = 0; v < V; v++) {
    if (p[v]! * DRAWS >= MIN_EXPECTED) {
      binOf[v] = bin++;
      continue;
    }
    binOf[v] = bin;
    mass += p[v]!;
    if (mass * DRAWS >= MIN_EXPECTED) {
      bin++;
      mass = 0;
    }
  }
  return binOf;
}

describe.each(['gumbel', 'synthid'] as const)('%s at V = 200,019', (scheme) => {
  it('40,000 single-token draws under a fixed key follow softmax(logits) (chi-square, p > 0.001)', () => {
    const logits = lmLogits();
    const key = fixedKey(scheme === 'gumbel' ? 41 : 42, { scheme, window: 1, layers: 30 });
    const greenList = new GreenList(key);
    const ws = kernelWorkspace();
    ws.ensure(V);
    ws.logits.set(logits);
    const dist = workspaceWeights(ws, V);
    const p = Float64Array.from(dist.weights, (w) => w / dist.total!);
    const binOf = bins(p);
    const count = binOf[V - 1]! + 1;
    const expected = new Float64Array(count);
    for (let v = 0; v < V; v++) expected[binOf[v]!]! += p[v]! * DRAWS;
    const observed = new Float64Array(count);
    const random = seededRandom(7);
    for (let i = 0; i < DRAWS; i++) {
      greenList.fillUniforms([i], ws, V); // context (token i): a fresh seed per draw
      const token = scheme === 'gumbel' ? gumbelChoiceInWorkspace(ws, V) : tournamentChoiceInWorkspace(ws, V, 30, random);
      observed[binOf[token]!]!++;
    }
    let chi2 = 0;
    for (let b = 0; b < count; b++) chi2 += (observed[b]! - expected[b]!) ** 2 / expected[b]!;
    // P[chi2_df >= x] = P[Gamma(df / 2) >= x / 2]
    const log10P = log10GammaTail(chi2 / 2, (count - 1) / 2);
    expect(count).toBeGreaterThan(50);
    expect(log10P).toBeGreaterThan(-3);

    // The same kernels as wm.sample on the whole vocabulary: identical tokens end to end.
    const wm = createWatermark(key);
    for (const i of [3, 1000, 39_999]) {
      const seed = 11 + i;
      ws.ensure(V);
      ws.logits.set(logits);
      workspaceWeights(ws, V);
      greenList.fillUniforms([i], ws, V);
      const direct = scheme === 'gumbel' ? gumbelChoiceInWorkspace(ws, V) : tournamentChoiceInWorkspace(ws, V, 30, seededRandom(seed));
      expect(wm.sample([i], logits, { rng: seed })).toBe(direct);
    }
  }, 400_000);
});
