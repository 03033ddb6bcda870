import { RadiomarkError } from './errors.js';
import type { WatermarkKey } from './key.js';
import { biasGreen, effectiveGamma, greenThreshold, tokenUniform } from './prf/token-mixer.js';
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
  private readonly words = new Uint32Array(16);
  private readonly seed = new Uint32Array(2);
  private readonly ownSeed = new Uint32Array(2);

  constructor(key: WatermarkKey) {
    this.seeder = new ContextSeeder(key);
    this.threshold = greenThreshold(key.params.gamma);
    this.gamma = effectiveGamma(this.threshold);
  }

  /** True if `context` holds enough tokens (h) for a green list. */
  hasWindow(context: ArrayLike<number>): boolean {
    return context.length >= this.seeder.window;
  }

  /** PRF uniform (0 .. 2^32-1) of `token` after `context`. Requires a full window. */
  uniform(context: ArrayLike<number>, token: number): number {
    const count = this.seeder.seedInput(context, context.length, this.words, token);
    this.seeder.seedOf(this.words, count, this.seed);
    return tokenUniform(this.seed[0]!, this.seed[1]!, token);
  }

  /** True if `token` is green after `context`. Requires a full window. */
  isGreen(context: ArrayLike<number>, token: number): boolean {
    return this.uniform(context, token) < this.threshold;
  }

  /**
   * Adds `delta` to the logits of the green tokens after `context`, in place. Contexts
   * shorter than the window are left unbiased (nothing to seed from).
   */
  bias(context: ArrayLike<number>, logits: Float32Array, delta: number): Float32Array {
    if (!this.hasWindow(context)) return logits;
    const seeder = this.seeder;
    const count = seeder.seedInput(context, context.length, this.words);
    seeder.seedOf(this.words, count, this.seed);
    if (!seeder.selfSeeded) return biasGreen(logits, this.seed[0]!, this.seed[1]!, this.threshold, delta);
    return this.biasSelfSeeded(logits, delta);
  }

  // SelfHash: a token whose own rank beats the window's minimum seeds its own list.
  private biasSelfSeeded(logits: Float32Array, delta32: number): Float32Array {
    // Same float32 rounding as biasGreen: add fround(delta), as the WASM path does.
    const delta = Math.fround(delta32);
    const seeder = this.seeder;
    const anchor = this.words[0]!;
    const anchorRank = seeder.rank(anchor);
    const [lo, hi] = [this.seed[0]!, this.seed[1]!];
    for (let v = 0; v < logits.length; v++) {
      const r = seeder.rank(v);
      let u: number;
      if (r < anchorRank || (r === anchorRank && v < anchor)) {
        seeder.tokenSeed(v, this.ownSeed);
        u = tokenUniform(this.ownSeed[0]!, this.ownSeed[1]!, v);
      } else {
        u = tokenUniform(lo, hi, v);
      }
      if (u < this.threshold) logits[v] += delta;
    }
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
