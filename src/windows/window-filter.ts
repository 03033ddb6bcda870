import { RadiomarkError } from '../base/errors.js';
import { TupleSet } from '../base/tuple-set.js';
import { checkRawWindow, hashRawWindow } from './window-hash.js';

/**
 * A fixed set of raw h-token windows (typically: the windows of the provider's watermarked
 * outputs the suspect could have trained on). The closed-mode test scores a position only
 * when its window is in the filter. Membership depends on token ids only, never on a key.
 *
 * @example
 * ```ts
 * const filter: WindowFilter = WindowSet.fromTexts(watermarkedIds, 2).freeze();
 * filter.hasWindow(ids, 10); // is (ids[8], ids[9]) a filtered window?
 * ```
 */
export interface WindowFilter {
  /** h: the window length the filter was built for (must equal the key's window). */
  readonly window: number;
  /** True if the window tokens[end-h, end) is in the filter (may err towards true for Bloom filters). */
  hasWindow(tokens: ArrayLike<number>, end: number): boolean;
}

/**
 * An exact in-memory {@link WindowFilter} (16 bytes per distinct window). Call
 * {@link WindowSet.freeze} before the suspect's outputs are read: the filter must be fixed
 * in advance.
 *
 * @example
 * ```ts
 * const filter = new WindowSet(2);
 * filter.addText(watermarkedIds);
 * filter.freeze();
 * ```
 */
export class WindowSet implements WindowFilter {
  private readonly set = new TupleSet();
  private readonly scratch = new Uint32Array(16);
  private readonly hash = new Uint32Array(2);
  private frozen = false;

  constructor(readonly window: number) {
    checkRawWindow(window);
  }

  /**
   * Builds a frozen set from token sequences.
   *
   * @example
   * ```ts
   * const filter = WindowSet.fromTexts([ids1, ids2], 2);
   * ```
   */
  static fromTexts(texts: Iterable<ArrayLike<number>>, window: number): WindowSet {
    const set = new WindowSet(window);
    for (const ids of texts) set.addText(ids);
    return set.freeze();
  }

  /** Number of distinct windows stored. */
  get size(): number {
    return this.set.size;
  }

  /** Adds every full window of `ids` (windows before each position h..length). */
  addText(ids: ArrayLike<number>): this {
    if (this.frozen) throw new RadiomarkError('INVALID_ARGUMENT', 'the filter is frozen: it must be fixed before scoring');
    for (let end = this.window; end <= ids.length; end++) {
      hashRawWindow(ids, end, this.window, this.scratch, this.hash);
      this.set.add(this.hash[0]!, this.hash[1]!);
    }
    return this;
  }

  /** Forbids further additions; returns this. */
  freeze(): this {
    this.frozen = true;
    return this;
  }

  hasWindow(tokens: ArrayLike<number>, end: number): boolean {
    hashRawWindow(tokens, end, this.window, this.scratch, this.hash);
    return this.set.has(this.hash[0]!, this.hash[1]!);
  }
}
