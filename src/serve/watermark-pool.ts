import type { WatermarkKey } from '../key/key.js';
import { createWatermark, type Watermark } from '../watermark/watermark.js';

/**
 * One watermark per account id (the key's zero-bit watermark plus the account's codeword),
 * built on first use and kept for the most recent `capacity` accounts.
 *
 * @example
 * ```ts
 * const pool = new WatermarkPool(key, model.vocabSize);
 * pool.get(40213).account; // 40213
 * ```
 */
export class WatermarkPool {
  private readonly cache = new Map<number, Watermark>();

  constructor(
    private readonly key: WatermarkKey,
    private readonly vocabSize: number,
    private readonly accountDelta?: number,
    private readonly capacity = 4096,
  ) {}

  /** The watermark carrying `account`. */
  get(account: number): Watermark {
    let wm = this.cache.get(account);
    if (wm) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recent.
      this.cache.delete(account);
    } else {
      wm = createWatermark(this.key, { vocabSize: this.vocabSize, account, accountDelta: this.accountDelta });
      if (this.cache.size >= this.capacity) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(account, wm);
    return wm;
  }
}
