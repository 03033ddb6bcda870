// Shared machinery of the detection-quality benchmarks (power, FPR, robustness, quality):
// command-line flags, reproducible keys, an instrumented temperature sampler that also
// measures the spike-entropy bound, and small statistics helpers.
import { erfc } from '../../src/stats/normal-tail.js';
import { importKey, log10BinomialTail, type Watermark, type WatermarkKey, type WatermarkParams } from '../../src/index.js';
import { clopperPearson } from '../../src/stats/index.js';
import { seededRandom, type RandomSource } from '../../src/base/rng.js';
import { type KneserNeyModel } from '../../src/model/index.js';
import { findContextPath } from '../../src/model/context-trie.js';

/** True when the script was started with `--quick`. */
export const QUICK = process.argv.includes('--quick');

/** `name` or `name-quick`: the results file of this run. */
export const resultName = (name: string): string => (QUICK ? `${name}-quick` : name);

/**
 * A key whose 32-byte secret comes from a seeded generator: benchmark runs are reproducible,
 * and distinct seeds give independent keys (as far as any test here can tell).
 */
export function seededKey(params: Partial<WatermarkParams>, seed: number): WatermarkKey {
  const rng = seededRandom(seed);
  let binary = '';
  for (let i = 0; i < 32; i++) binary += String.fromCharCode(Math.floor(rng() * 256));
  return importKey(JSON.stringify({ format: 'radiomark-key', version: 1, params, secret: btoa(binary) }));
}

/** Per-step quantities of the spike-entropy bound (Kirchenbauer et al. 2023, Thm 4.2). */
export interface StepStats {
  /** Spike entropy S(p, z) of the temperature-scaled distribution, z from alpha = e^delta. */
  spike: number;
  /** The bound gamma*alpha*S/(1+(alpha-1)gamma) with alpha = e^delta (the brief's form). */
  bound: number;
  /** The same bound with the bias the sampler really applies on p_tau: alpha = e^(delta/tau). */
  boundEffective: number;
  /** Exact probability that this step's token is green, given this step's green list. */
  expectedGreen: number;
}

/** z of the spike entropy for gamma and alpha. */
export const spikeModulus = (gamma: number, alpha: number): number => ((1 - gamma) * (alpha - 1)) / (1 - gamma + alpha * gamma);

/** The bound of Kirchenbauer et al.: expected green indicator >= gamma*alpha*S / (1 + (alpha-1)*gamma). */
export const spikeBound = (gamma: number, alpha: number, spike: number): number => (gamma * alpha * spike) / (1 + (alpha - 1) * gamma);

/**
 * Exact temperature sampling from the reference model with the full distribution in hand, so
 * that every step also yields the spike entropy and the bound (and optionally the exact green
 * probability of the step).
 *
 * It draws from softmax((logits + delta * green) / tau), the distribution of `wm.sample`
 * (the watermark biases the logits, then the temperature applies, the processor-then-warper
 * order of transformers), without O(V) work per step. The Kneser-Ney logits equal the fixed
 * unigram logits u_v except at the successors of the active context, where they are larger,
 * so with b_v = e^(u_v / tau) and w_v = e^(logit_v / tau):
 * - p_tau is the mixture of b (mass sum b, sampled by bisection on a precomputed cumulative
 *   table) and the successors' excess w_v - b_v >= 0 (scanned);
 * - S = sum_v w_v / (W + z w_v) is a precomputed sum over the unigram part (the K largest b
 *   exactly, the rest by a 4-term series in z b / W <= 1e-3) corrected at the successors;
 * - watermarking is exact rejection: keep a green draw, keep a red one with probability
 *   e^(-delta/tau) (as the SDK's sampleByRejection does at tau = 1).
 */
export class InstrumentedSampler {
  private readonly logits: Float32Array;
  private readonly base: Float32Array;
  private readonly basePow: Float64Array;
  private readonly baseCumulative: Float64Array;
  private readonly baseTotal: number;
  private readonly topIds: Int32Array;
  private readonly restPowers: [number, number, number, number]; // sums of b^k, k = 1..4, over tokens outside the top
  private readonly seen: Uint8Array;
  private readonly greenTop = 256;
  private readonly path: Int32Array;
  private readonly inv: number;

  constructor(
    private readonly model: KneserNeyModel,
    readonly temperature: number,
    topK = 4096,
  ) {
    const V = model.vocabSize;
    this.logits = new Float32Array(V);
    // The empty context has depth 0: nextLogits returns exactly the unigram logits.
    this.base = Float32Array.from(model.nextLogits([]));
    this.inv = 1 / temperature;
    this.basePow = Float64Array.from(this.base, (l) => Math.exp(l * this.inv));
    this.baseCumulative = new Float64Array(V);
    let total = 0;
    for (let v = 0; v < V; v++) this.baseCumulative[v] = total += this.basePow[v]!;
    this.baseTotal = total;
    const order = Int32Array.from({ length: V }, (_, v) => v).sort((a, b) => this.basePow[b]! - this.basePow[a]!);
    this.topIds = order.slice(0, topK);
    this.restPowers = [0, 0, 0, 0];
    for (let i = topK; i < V; i++) {
      const b = this.basePow[order[i]!]!;
      this.restPowers[0]! += b;
      this.restPowers[1]! += b * b;
      this.restPowers[2]! += b * b * b;
      this.restPowers[3]! += b * b * b * b;
    }
    this.seen = new Uint8Array(V);
    this.path = new Int32Array(model.order);
  }

  // sum over all v of b_v / (W + z b_v): the K largest exactly, the others by the series
  // (1/W) sum b (1 - z b/W + (z b/W)^2 - (z b/W)^3).
  private baseSpike(W: number, z: number): number {
    let s = 0;
    const { topIds, basePow } = this;
    for (let i = 0; i < topIds.length; i++) {
      const b = basePow[topIds[i]!]!;
      s += b / (W + z * b);
    }
    const [p1, p2, p3, p4] = this.restPowers;
    const r = z / W;
    return s + (p1 - r * p2 + r * r * p3 - r * r * r * p4) / W;
  }

  /**
   * One step after `context`: the bound statistics for watermark `wm` and, when `rng` is
   * given, a token drawn from the watermarked (or, with `watermarked` false, the plain)
   * distribution. `expected`: also compute the green probability of this step (exact for the
   * successors and the 256 likeliest unigram tokens, the small remaining mass at gamma).
   */
  step(
    context: ArrayLike<number>,
    wm: Watermark,
    rng?: RandomSource,
    watermarked = true,
    expected = false,
  ): { token: number; stats: StepStats } {
    const { logits, base, basePow, inv } = this;
    const levels = this.model.tables.levels;
    this.model.nextLogits(context, logits);
    const depth = findContextPath(levels, context, this.path);
    let lo = 0;
    let hi = 0;
    if (depth >= 1) {
      lo = levels[1]!.succStart[this.path[1]!]!;
      hi = levels[1]!.succStart[this.path[1]! + 1]!;
    }
    const succ = levels[1]!.succWord;
    let W = this.baseTotal;
    for (let s = lo; s < hi; s++) {
      const v = succ[s]!;
      W += Math.exp(logits[v]! * inv) - basePow[v]!;
    }
    const { gamma, delta } = wm.params;
    const alpha = Math.exp(delta);
    const alphaEff = Math.exp(delta * inv);
    const spikes = [spikeModulus(gamma, alpha), spikeModulus(gamma, alphaEff)].map((z) => {
      let s = this.baseSpike(W, z);
      for (let k = lo; k < hi; k++) {
        const v = succ[k]!;
        const w = Math.exp(logits[v]! * inv);
        const b = basePow[v]!;
        s += w / (W + z * w) - b / (W + z * b);
      }
      return s;
    });
    let expectedGreen = NaN;
    if (expected && delta > 0) {
      // Green mass of p_tau: the successors and the `greenTop` (256) most likely unigram tokens
      // exactly (wm.isGreen), the remaining unigram mass (~200k tokens with tiny
      // probabilities) counted at gamma, which its green share matches to < 1e-3.
      let green = 0;
      let exactMass = 0;
      const seen = this.seen;
      for (let s = lo; s < hi; s++) {
        const v = succ[s]!;
        const w = Math.exp(logits[v]! * inv);
        seen[v] = 1;
        exactMass += w;
        if (wm.isGreen(context, v)) green += w;
      }
      for (let i = 0; i < this.greenTop; i++) {
        const v = this.topIds[i]!;
        if (seen[v]) continue;
        const b = basePow[v]!;
        exactMass += b;
        if (wm.isGreen(context, v)) green += b;
      }
      for (let s = lo; s < hi; s++) seen[succ[s]!] = 0;
      green += gamma * (W - exactMass);
      expectedGreen = (alphaEff * green) / (alphaEff * green + (W - green));
    }
    const stats: StepStats = {
      spike: spikes[0]!,
      bound: spikeBound(gamma, alpha, spikes[0]!),
      boundEffective: spikeBound(gamma, alphaEff, spikes[1]!),
      expectedGreen,
    };
    let token = -1;
    if (rng) {
      const keepRed = Math.exp(-delta * inv);
      for (;;) {
        let u = rng() * W;
        if (u < this.baseTotal) token = upperBound(this.baseCumulative, u);
        else {
          u -= this.baseTotal;
          token = hi > lo ? succ[hi - 1]! : upperBound(this.baseCumulative, this.baseTotal * rng());
          for (let s = lo; s < hi; s++) {
            const v = succ[s]!;
            u -= Math.exp(logits[v]! * inv) - basePow[v]!;
            if (u < 0) {
              token = v;
              break;
            }
          }
        }
        if (!watermarked || wm.isGreen(context, token) || rng() < keepRed) break;
      }
    }
    void base;
    return { token, stats };
  }

  /** Generates `maxTokens` tokens after `prompt`, collecting per-step statistics. */
  generate(
    prompt: Uint32Array,
    maxTokens: number,
    wm: Watermark,
    rng: RandomSource,
    watermarked = true,
    expected = false,
  ): { ids: Uint32Array; stats: StepStats[]; greens: Uint8Array } {
    const all = new Uint32Array(prompt.length + maxTokens);
    all.set(prompt);
    const stats: StepStats[] = [];
    const greens = new Uint8Array(maxTokens);
    for (let t = 0; t < maxTokens; t++) {
      const context = all.subarray(0, prompt.length + t);
      const step = this.step(context, wm, rng, watermarked, expected);
      all[prompt.length + t] = step.token;
      stats.push(step.stats);
      greens[t] = wm.isGreen(context, step.token) ? 1 : 0;
    }
    return { ids: all.slice(prompt.length), stats, greens };
  }

  /** Statistics of each step of an existing generation (e.g. one made by generateTokens). */
  measure(prompt: Uint32Array, ids: Uint32Array, wm: Watermark, expected = false): { stats: StepStats[]; greens: Uint8Array } {
    const all = new Uint32Array(prompt.length + ids.length);
    all.set(prompt);
    all.set(ids, prompt.length);
    const stats: StepStats[] = [];
    const greens = new Uint8Array(ids.length);
    for (let t = 0; t < ids.length; t++) {
      const context = all.subarray(0, prompt.length + t);
      stats.push(this.step(context, wm, undefined, true, expected).stats);
      greens[t] = wm.isGreen(context, ids[t]!) ? 1 : 0;
    }
    return { stats, greens };
  }
}

/** First index i with cumulative[i] > u (the inverse CDF); the last index with mass when rounding overshoots. */
function upperBound(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  if (!(u < cumulative[hi]!)) {
    while (hi > 0 && cumulative[hi] === cumulative[hi - 1]) hi--;
    return hi;
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Green count among the first T scored tuples, from per-token statuses ('green' / 'red' / other). */
export function scoredFlags(details: readonly { status: string }[]): Uint8Array {
  const flags: number[] = [];
  for (const d of details) {
    if (d.status === 'green') flags.push(1);
    else if (d.status === 'red') flags.push(0);
  }
  return Uint8Array.from(flags);
}

/** Prefix sums of a 0/1 array: out[i] = number of ones among the first i. */
export function prefixSums(flags: Uint8Array): Int32Array {
  const out = new Int32Array(flags.length + 1);
  for (let i = 0; i < flags.length; i++) out[i + 1] = out[i]! + flags[i]!;
  return out;
}

/** Smallest k with P[Bin(n, p) >= k] <= alpha (n + 1 when no k qualifies), cached. */
const criticalCache = new Map<string, number>();
export function criticalGreen(n: number, p: number, alpha: number): number {
  const key = `${n}/${p}/${alpha}`;
  let k = criticalCache.get(key);
  if (k === undefined) {
    const target = Math.log10(alpha);
    let lo = 0;
    let hi = n + 1; // tail(n + 1) = 0 <= alpha
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (mid > 0 && log10BinomialTail(mid, n, p) <= target) hi = mid;
      else lo = mid + 1;
    }
    k = lo;
    criticalCache.set(key, k);
  }
  return k;
}

/** Exact size of the one-sided binomial test at level alpha with n trials: P[Bin(n, p) >= k*]. */
export function exactSize(n: number, p: number, alpha: number): number {
  if (n === 0) return 0;
  const k = criticalGreen(n, p, alpha);
  return k > n ? 0 : 10 ** log10BinomialTail(k, n, p);
}

/** Upper-tail standard normal quantile: z with P[Z > z] = q (Acklam's rational approximation plus one Newton step). */
export function normalUpperQuantile(q: number): number {
  return -normalQuantile(q);
}

function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lowP = 0.02425;
  let x: number;
  if (p < lowP) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lowP) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // One Halley step on Phi(x) - p.
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** A proportion with its Clopper-Pearson interval. */
export interface Proportion {
  hits: number;
  n: number;
  rate: number;
  lower: number;
  upper: number;
  confidence: number;
}

export function proportion(hits: number, n: number, confidence = 0.95): Proportion {
  const ci = clopperPearson(hits, n, confidence);
  return { hits, n, rate: n === 0 ? NaN : hits / n, lower: ci.lower, upper: ci.upper, confidence };
}

export const mean = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length ? s / xs.length : NaN;
};

export const standardError = (xs: ArrayLike<number>): number => {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return xs.length > 1 ? Math.sqrt(s / (xs.length - 1) / xs.length) : NaN;
};

export const medianOf = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Rounds for JSON output. */
export const round = (x: number, digits = 4): number => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

/** Seconds since `t0` (performance.now() milliseconds). */
export const since = (t0: number): number => Math.round((performance.now() - t0) / 100) / 10;

/** Logs a progress line to stderr. */
export const log = (...parts: unknown[]): void => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...parts);
