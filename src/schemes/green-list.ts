import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';
import { biasGreen, effectiveGamma, greenThreshold, tokenUniform } from '../prf/token-mixer.js';
import { tupleScoring, type TupleScoring } from './tuple-scoring.js';
import { ContextSeeder } from './seeding.js';

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
  #uniformScratch = new Uint32Array(0);

  constructor(key: WatermarkKey) {
    this.seeder = new ContextSeeder(key);
    this.threshold = greenThreshold(key.params.gamma);
    this.gamma = effectiveGamma(this.threshold);
    this.scoring = tupleScoring(key.params);
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
   * since reusing a window would make the output repeat itself.
   */
  windowRepeats(context: ArrayLike<number>): boolean {
    const h = this.seeder.window;
    const count = this.seeder.seedInput(context, context.length, this.#words);
    const current = this.#words.slice(0, count);
    for (let end = h; end < context.length; end++) {
      this.seeder.seedInput(context, end, this.#words);
      let same = true;
      for (let j = 0; j < count && same; j++) same = this.#words[j] === current[j];
      if (same) return true;
    }
    return false;
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

  // SelfHash: each token may own its seed, so the uniforms are computed token by token.
  private biasSelfSeeded(context: ArrayLike<number>, logits: Float32Array, delta32: number): Float32Array {
    // Same float32 rounding as biasGreen: add fround(delta), as the WASM path does.
    const delta = Math.fround(delta32);
    if (this.#uniformScratch.length < logits.length) this.#uniformScratch = new Uint32Array(logits.length);
    const u = this.uniformsOf(context, undefined, logits.length, this.#uniformScratch);
    for (let v = 0; v < logits.length; v++) if (u[v]! < this.threshold) logits[v]! += delta;
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
