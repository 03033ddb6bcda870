import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';
import { biasGreen, effectiveGamma, greenThreshold, tokenUniform } from '../prf/token-mixer.js';
import { kernelWorkspace, type KernelWorkspace, type SelfSeedTables } from '../prf/kernel-workspace.js';
import { tupleScoring, type TupleScoring } from './tuple-scoring.js';
import { ContextSeeder } from './seeding.js';
import { WindowHistory } from './window-history.js';

/**
 * The keyed green list of one key: which tokens are green after a given context, and the
 * KGW logit bias. Token v is green after a context iff its PRF uniform is below
 * floor(gamma * 2^32), so under H0 it is green with probability exactly `gamma` (the
 * effective value, threshold / 2^32).
 */
export class GreenList {
  readonly seeder: ContextSeeder;
  /** Green iff uniform < threshold (unsigned 32-bit). */
  readonly threshold: number;
  /** Exact null probability of green: threshold / 2^32. */
  readonly gamma: number;
  /** How detection scores a tuple under this key's scheme. */
  readonly scoring: TupleScoring;
  readonly #words = new Uint32Array(16);
  readonly #seed = new Uint32Array(2);
  readonly #ownSeed = new Uint32Array(2);
  readonly #history: WindowHistory;
  #tables: SelfSeedTables | null = null;

  constructor(key: WatermarkKey) {
    this.seeder = new ContextSeeder(key);
    this.threshold = greenThreshold(key.params.gamma);
    this.gamma = effectiveGamma(this.threshold);
    this.scoring = tupleScoring(key.params);
    this.#history = new WindowHistory(this.seeder);
  }

  /** True if `context` holds enough tokens (h) for a green list. */
  hasWindow(context: ArrayLike<number>): boolean {
    return context.length >= this.seeder.window;
  }

  /** PRF uniform (0 .. 2^32-1) of `token` after `context`. Requires a full window. */
  uniform(context: ArrayLike<number>, token: number): number {
    const count = this.seeder.seedInput(context, context.length, this.#words, token);
    this.seeder.seedOf(this.#words, count, this.#seed);
    return tokenUniform(this.#seed[0]!, this.#seed[1]!, token);
  }

  /** True if `token` is green after `context`. Requires a full window. */
  isGreen(context: ArrayLike<number>, token: number): boolean {
    return this.uniform(context, token) < this.threshold;
  }

  /**
   * PRF values of candidate tokens after `context` (all `count` tokens when `ids` is
   * absent), written to `out`. Requires a full window.
   */
  uniformsOf(context: ArrayLike<number>, ids: readonly number[] | undefined, count: number, out: Uint32Array): Uint32Array {
    const seeder = this.seeder;
    const n = ids ? ids.length : count;
    const words = seeder.seedInput(context, context.length, this.#words);
    seeder.seedOf(this.#words, words, this.#seed);
    const [lo, hi] = [this.#seed[0]!, this.#seed[1]!];
    const anchor = this.#words[0]!;
    const anchorRank = seeder.selfSeeded ? seeder.rank(anchor) : 0;
    for (let j = 0; j < n; j++) {
      const v = ids ? ids[j]! : j;
      if (seeder.selfSeeded && this.ownsSeed(v, anchor, anchorRank)) {
        seeder.tokenSeed(v, this.#ownSeed);
        out[j] = tokenUniform(this.#ownSeed[0]!, this.#ownSeed[1]!, v);
      } else out[j] = tokenUniform(lo, hi, v);
    }
    return out;
  }

  /**
   * True if the window before the next token already occurred earlier in `context` (its
   * seed input did). Distortion-free schemes sample such positions without the watermark,
   * since reusing a window would make the output repeat itself. O(1) amortised per token
   * when called after each token appended to the same context (see {@link WindowHistory}).
   */
  windowRepeats(context: ArrayLike<number>): boolean {
    return this.#history.repeats(context);
  }

  /**
   * PRF values of every token 0..n-1 after `context` into `ws.uniforms` (the vector kernels:
   * the mixer under the context seed, or SelfHash's per-token choice). Requires a full window.
   */
  fillUniforms(context: ArrayLike<number>, ws: KernelWorkspace, n: number): void {
    const seeder = this.seeder;
    const words = seeder.seedInput(context, context.length, this.#words);
    seeder.seedOf(this.#words, words, this.#seed);
    if (!seeder.selfSeeded) {
      ws.fillUniforms(n, this.#seed[0]!, this.#seed[1]!);
      return;
    }
    const anchor = this.#words[0]!;
    ws.fillSelfUniforms(n, this.#seed[0]!, this.#seed[1]!, this.selfTables(n), seeder.rank(anchor), anchor);
  }

  /**
   * SelfHash tables for tokens 0..n-1 (rank, and the uniform under the token's own seed),
   * built once per key: 2 SipHashes per token, then each step is a vector kernel.
   */
  selfTables(n: number): SelfSeedTables {
    if (this.#tables !== null && this.#tables.ranks.length >= n) return this.#tables;
    const ranks = new Uint32Array(n);
    const own = new Uint32Array(n);
    for (let v = 0; v < n; v++) {
      ranks[v] = this.seeder.rank(v);
      this.seeder.tokenSeed(v, this.#ownSeed);
      own[v] = tokenUniform(this.#ownSeed[0]!, this.#ownSeed[1]!, v);
    }
    this.#tables = { ranks, own };
    return this.#tables;
  }

  /**
   * KGW bias of the logits held in `ws.logits[0..n)`, in place (same result as `bias`).
   * Contexts shorter than the window are left unbiased.
   */
  biasWorkspace(context: ArrayLike<number>, ws: KernelWorkspace, n: number, delta: number): void {
    if (!this.hasWindow(context)) return;
    if (this.seeder.selfSeeded) {
      this.fillUniforms(context, ws, n);
      ws.addWhereBelow(n, this.threshold, delta);
      return;
    }
    const count = this.seeder.seedInput(context, context.length, this.#words);
    this.seeder.seedOf(this.#words, count, this.#seed);
    ws.biasLogits(n, this.#seed[0]!, this.#seed[1]!, this.threshold, delta);
  }

  // SelfHash: a token whose rank beats the window's minimum seeds its own list.
  private ownsSeed(v: number, anchor: number, anchorRank: number): boolean {
    const r = this.seeder.rank(v);
    return r < anchorRank || (r === anchorRank && v < anchor);
  }

  /**
   * Adds `delta` to the logits of the green tokens after `context`, in place. Contexts
   * shorter than the window are left unbiased (nothing to seed from).
   */
  bias(context: ArrayLike<number>, logits: Float32Array, delta: number): Float32Array {
    if (!this.hasWindow(context)) return logits;
    const seeder = this.seeder;
    const count = seeder.seedInput(context, context.length, this.#words);
    seeder.seedOf(this.#words, count, this.#seed);
    if (!seeder.selfSeeded) return biasGreen(logits, this.#seed[0]!, this.#seed[1]!, this.threshold, delta);
    return this.biasSelfSeeded(context, logits, delta);
  }

  // SelfHash: each token may own its seed; the vector kernel picks per token.
  private biasSelfSeeded(context: ArrayLike<number>, logits: Float32Array, delta32: number): Float32Array {
    // Same float32 rounding as biasGreen: add fround(delta), as the WASM path does.
    const delta = Math.fround(delta32);
    const n = logits.length;
    const ws = kernelWorkspace();
    ws.ensure(n);
    this.fillUniforms(context, ws, n);
    const u = ws.uniforms;
    const thr = this.threshold;
    for (let v = 0; v < n; v++) if (u[v]! < thr) logits[v]! += delta;
    return logits;
  }
}

/** Throws VOCAB_MISMATCH unless `logits.length === vocabSize`. */
export function checkLogits(logits: unknown, vocabSize: number, tokenizer: string): asserts logits is Float32Array {
  if (!(logits instanceof Float32Array)) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'logits must be a Float32Array');
  }
  if (logits.length !== vocabSize) {
    throw new RadiomarkError(
      'VOCAB_MISMATCH',
      `logits have length ${logits.length} but the key's tokenizer ${tokenizer} has ${vocabSize} tokens ` +
        '(pass { vocabSize } to createWatermark if your model pads its vocabulary)',
    );
  }
}
