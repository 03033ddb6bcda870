import type { WatermarkKey } from '../key/key.js';
import { subkeyOf } from '../key/key.js';
import { sipHashWords, sipKey, type SipKey } from '../prf/siphash.js';

/**
 * Turns the window before a position into the keyed 64-bit seed of its green list, following
 * docs/SPEC.md. Per-token results (ranks, single-token seeds) are cached in typed arrays
 * filled on first use, so LeftHash with h = 1, MinHash and SelfHash cost one SipHash per
 * distinct token, not per position.
 *
 * The *seed input* is what the seed is a function of: the window itself (LeftHash) or the
 * window's smallest-rank token (MinHash, SelfHash). De-duplication works on seed inputs, so
 * that each distinct PRF input is scored once.
 */
export class ContextSeeder {
  readonly window: number;
  readonly seeding: WatermarkKey['params']['seeding'];
  readonly #seedKey: SipKey;
  readonly #rankKey: SipKey;
  readonly #scratch = new Uint32Array(2);
  #tokenSeeds = new Uint32Array(0);
  #tokenSeedFilled = new Uint8Array(0);
  #ranks = new Uint32Array(0);
  #rankFilled = new Uint8Array(0);

  constructor(key: WatermarkKey) {
    const { scheme, window, seeding } = key.params;
    this.window = window;
    this.seeding = seeding;
    this.#seedKey = sipKey(subkeyOf(key, `context-seed/${scheme}`));
    this.#rankKey = sipKey(subkeyOf(key, `rank/${scheme}`));
  }

  /** True when `seeding` makes the seed depend on the candidate token too. */
  get selfSeeded(): boolean {
    return this.seeding === 'selfhash';
  }

  /**
   * Writes the seed input for predicting position `end` (window = tokens[end-h, end)) into
   * `words` and returns its length. For SelfHash pass the candidate `token`; otherwise it is
   * ignored. Requires end >= h.
   */
  seedInput(tokens: ArrayLike<number>, end: number, words: Uint32Array, token = -1): number {
    const h = this.window;
    if (this.seeding === 'lefthash') {
      for (let j = 0; j < h; j++) words[j] = tokens[end - h + j]!;
      return h;
    }
    let best = tokens[end - h]!;
    let bestRank = this.rank(best);
    for (let j = end - h + 1; j < end; j++) {
      const t = tokens[j]!;
      const r = this.rank(t);
      if (r < bestRank || (r === bestRank && t < best)) {
        best = t;
        bestRank = r;
      }
    }
    if (this.seeding === 'selfhash' && token >= 0) {
      const r = this.rank(token);
      if (r < bestRank || (r === bestRank && token < best)) best = token;
    }
    words[0] = best;
    return 1;
  }

  /** Writes the seed (lo, hi) of a seed input to out[0], out[1]. */
  seedOf(words: Uint32Array, count: number, out: Uint32Array): void {
    if (count === 1) this.tokenSeed(words[0]!, out);
    else sipHashWords(this.#seedKey, words, 0, count, out);
  }

  /** Keyed 32-bit rank of a token (MinHash, SelfHash): low half of SipHash(rankKey, t). */
  rank(token: number): number {
    if (token >= this.#ranks.length) this.growRanks(token + 1);
    if (this.#rankFilled[token] === 0) {
      sipHashWords(this.#rankKey, [token], 0, 1, this.#scratch);
      this.#ranks[token] = this.#scratch[0]!;
      this.#rankFilled[token] = 1;
    }
    return this.#ranks[token]!;
  }

  /** Seed of the one-token seed input `token`, cached. */
  tokenSeed(token: number, out: Uint32Array): void {
    if (token >= this.#tokenSeedFilled.length) this.growTokenSeeds(token + 1);
    if (this.#tokenSeedFilled[token] === 0) {
      sipHashWords(this.#seedKey, [token], 0, 1, this.#scratch);
      this.#tokenSeeds[2 * token] = this.#scratch[0]!;
      this.#tokenSeeds[2 * token + 1] = this.#scratch[1]!;
      this.#tokenSeedFilled[token] = 1;
    }
    out[0] = this.#tokenSeeds[2 * token]!;
    out[1] = this.#tokenSeeds[2 * token + 1]!;
  }

  private growRanks(n: number): void {
    const size = grownSize(this.#rankFilled.length, n);
    this.#ranks = copyInto(new Uint32Array(size), this.#ranks);
    this.#rankFilled = copyInto(new Uint8Array(size), this.#rankFilled);
  }

  private growTokenSeeds(n: number): void {
    const size = grownSize(this.#tokenSeedFilled.length, n);
    this.#tokenSeeds = copyInto(new Uint32Array(2 * size), this.#tokenSeeds);
    this.#tokenSeedFilled = copyInto(new Uint8Array(size), this.#tokenSeedFilled);
  }
}

function grownSize(current: number, needed: number): number {
  let size = Math.max(1024, current);
  while (size < needed) size *= 2;
  return size;
}

function copyInto<T extends Uint32Array | Uint8Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
