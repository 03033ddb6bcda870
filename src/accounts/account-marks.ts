import { RadiomarkError } from '../base/errors.js';
import { subkeyOf, type WatermarkKey } from '../key/key.js';
import { sipHashWords, sipKey, type SipKey } from '../prf/siphash.js';
import { biasGreen, tokenUniform } from '../prf/token-mixer.js';
import type { ContextSeeder } from '../schemes/seeding.js';
import { CODEWORD_DIGITS, DIGIT_VALUES } from './account-code.js';

/**
 * Share of the vocabulary in each digit value's set. The 16 sets of a window are independent
 * (not a partition), so a set can be as large as a green list: a quarter of the vocabulary
 * gives a low-entropy model as many plausible alternatives to favour as KGW's gamma = 0.25.
 *
 * @example
 * ```ts
 * const expected = tally.tuples * DIGIT_SET_FRACTION; // a fixed codeword's mean score under H0
 * ```
 */
export const DIGIT_SET_FRACTION = 0.25;
/**
 * A token is in a digit's set iff its uniform is below this: exactly DIGIT_SET_FRACTION under H0.
 *
 * @example
 * ```ts
 * tokenUniform(seedLo, seedHi ^ salt, token) < DIGIT_SET_THRESHOLD;
 * ```
 */
export const DIGIT_SET_THRESHOLD = DIGIT_SET_FRACTION * 2 ** 32;

/**
 * The account layer of a KGW key (docs/SPEC.md §11): each window gets a keyed *position*
 * (which of the 32 codeword digits it carries) and, for each digit value d, a keyed set of
 * a quarter of the vocabulary. An account's outputs favour the set of its codeword digit at the
 * window's position. The sets come from a sub-key independent of the green list, so the
 * zero-bit test under the provider key is untouched.
 *
 * @example
 * ```ts
 * const marks = new AccountMarks(key, new ContextSeeder(key));
 * const mask = marks.membershipsAfter(window, window.length, token); // bit d: token in set d
 * ```
 */
export class AccountMarks {
  readonly #seedKey: SipKey;
  /** Per digit value, XORed into the window seed's high half so that each value has its own set. */
  readonly #salts: Uint32Array;
  readonly #words = new Uint32Array(16);
  readonly #seed = new Uint32Array(2);

  constructor(
    key: WatermarkKey,
    readonly seeder: ContextSeeder,
  ) {
    if (key.params.scheme !== 'kgw') {
      throw new RadiomarkError('UNSUPPORTED', `account ids need a kgw key (this key uses ${key.params.scheme})`);
    }
    if (key.params.seeding === 'selfhash') {
      throw new RadiomarkError(
        'UNSUPPORTED',
        'account ids need lefthash or minhash seeding (selfhash seeds depend on the candidate token)',
      );
    }
    this.#seedKey = sipKey(subkeyOf(key, 'account-seed/kgw'));
    const saltBytes = subkeyOf(key, 'account-salt/kgw', 4 * DIGIT_VALUES);
    const view = new DataView(saltBytes.buffer, saltBytes.byteOffset, saltBytes.byteLength);
    this.#salts = Uint32Array.from({ length: DIGIT_VALUES }, (_, d) => view.getUint32(4 * d, true));
  }

  /**
   * Account seed of a seed input (the words the green-list seed is computed from): the
   * window's position is `positionOf(seed[1])` (its top 5 bits).
   */
  seedOfInput(words: ArrayLike<number>, count: number, out: Uint32Array): Uint32Array {
    sipHashWords(this.#seedKey, words, 0, count, out);
    return out;
  }

  /** Bit d of the result is set iff `token` is in the set of digit value d under this seed. */
  memberships(seedLo: number, seedHi: number, token: number): number {
    let mask = 0;
    for (let d = 0; d < DIGIT_VALUES; d++) {
      if (tokenUniform(seedLo, (seedHi ^ this.#salts[d]!) >>> 0, token) < DIGIT_SET_THRESHOLD) mask |= 1 << d;
    }
    return mask;
  }

  /** Position and memberships of `token` after tokens[0..end) (needs a full window). */
  membershipsAfter(tokens: ArrayLike<number>, end: number, token: number): { position: number; mask: number } {
    this.windowSeed(tokens, end);
    return { position: positionOf(this.#seed[1]!), mask: this.memberships(this.#seed[0]!, this.#seed[1]!, token) };
  }

  /** True if `token` is in the set that `digits` favour after `context` (needs a full window). */
  isMarked(context: ArrayLike<number>, token: number, digits: Uint8Array): boolean {
    this.windowSeed(context, context.length);
    const d = digits[positionOf(this.#seed[1]!)]!;
    return tokenUniform(this.#seed[0]!, (this.#seed[1]! ^ this.#salts[d]!) >>> 0, token) < DIGIT_SET_THRESHOLD;
  }

  /** Adds `delta` to the logits of the set that `digits` favour after `context`, in place. */
  bias(context: ArrayLike<number>, logits: Float32Array, digits: Uint8Array, delta: number): Float32Array {
    if (context.length < this.seeder.window) return logits;
    this.windowSeed(context, context.length);
    const d = digits[positionOf(this.#seed[1]!)]!;
    return biasGreen(logits, this.#seed[0]!, (this.#seed[1]! ^ this.#salts[d]!) >>> 0, DIGIT_SET_THRESHOLD, delta);
  }

  private windowSeed(tokens: ArrayLike<number>, end: number): void {
    const count = this.seeder.seedInput(tokens, end, this.#words);
    this.seedOfInput(this.#words, count, this.#seed);
  }
}

/**
 * The codeword digit a window carries: the top 5 bits of its account seed's high half.
 *
 * @example
 * ```ts
 * positionOf(0xf8000000); // 31
 * ```
 */
export function positionOf(seedHi: number): number {
  return (seedHi >>> 27) % CODEWORD_DIGITS;
}
