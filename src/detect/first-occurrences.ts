/**
 * Finds the first occurrence of each distinct 64-bit hash in a batch, in linear time and
 * with mostly sequential memory access: the (lo, hi, index) triples are radix-sorted by lo
 * (two stable 16-bit counting passes that move whole triples), so equal hashes end up next
 * to each other in index order. Buffers are reused across batches.
 *
 * @example
 * ```ts
 * const batch = new HashBatch();
 * batch.ensure(n);
 * // fill batch.lo[i], batch.hi[i], batch.index[i] for i < count, then:
 * const distinct = batch.firstOccurrences(count); // batch.lo/hi/index[0..distinct) hold them
 * ```
 */
export class HashBatch {
  lo = new Uint32Array(0);
  hi = new Uint32Array(0);
  index = new Uint32Array(0);
  private lo2 = new Uint32Array(0);
  private hi2 = new Uint32Array(0);
  private index2 = new Uint32Array(0);
  // Allocated on first use: short texts never sort, and a tape per text should stay cheap.
  private histogram = new Uint32Array(0);

  /** Makes room for `n` triples. */
  ensure(n: number): void {
    if (this.lo.length >= n) return;
    const size = Math.max(n, this.lo.length * 2);
    this.lo = new Uint32Array(size);
    this.hi = new Uint32Array(size);
    this.index = new Uint32Array(size);
    this.lo2 = new Uint32Array(size);
    this.hi2 = new Uint32Array(size);
    this.index2 = new Uint32Array(size);
  }

  /**
   * Reorders the first `count` triples so that each distinct (lo, hi) appears once, with the
   * smallest index it had, sorted by lo; returns how many distinct hashes there are.
   */
  firstOccurrences(count: number): number {
    this.radixPass(this.lo, this.hi, this.index, this.lo2, this.hi2, this.index2, count, 0);
    this.radixPass(this.lo2, this.hi2, this.index2, this.lo, this.hi, this.index, count, 16);
    return this.compact(count);
  }

  private radixPass(
    lo: Uint32Array,
    hi: Uint32Array,
    index: Uint32Array,
    toLo: Uint32Array,
    toHi: Uint32Array,
    toIndex: Uint32Array,
    count: number,
    shift: number,
  ): void {
    if (this.histogram.length === 0) this.histogram = new Uint32Array(1 << 16);
    const histogram = this.histogram;
    histogram.fill(0);
    for (let i = 0; i < count; i++) histogram[(lo[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let b = 0; b < histogram.length; b++) {
      const n = histogram[b]!;
      histogram[b] = sum;
      sum += n;
    }
    for (let i = 0; i < count; i++) {
      const to = histogram[(lo[i]! >>> shift) & 0xffff]!++;
      toLo[to] = lo[i]!;
      toHi[to] = hi[i]!;
      toIndex[to] = index[i]!;
    }
  }

  // Keeps the first triple of each (lo, hi) in place. Within a run of equal lo the stable
  // sort kept index order, so the first triple with a given hi is its first occurrence.
  private compact(count: number): number {
    const { lo, hi, index } = this;
    let distinct = 0;
    let i = 0;
    while (i < count) {
      let end = i + 1;
      let mixed = false;
      while (end < count && lo[end] === lo[i]) {
        if (hi[end] !== hi[i]) mixed = true;
        end++;
      }
      if (!mixed) {
        lo[distinct] = lo[i]!;
        hi[distinct] = hi[i]!;
        index[distinct++] = index[i]!;
      } else {
        // A 32-bit collision between different hashes (rare): tell them apart with a set.
        const seen = new Set<number>();
        for (let k = i; k < end; k++) {
          if (seen.has(hi[k]!)) continue;
          seen.add(hi[k]!);
          lo[distinct] = lo[k]!;
          hi[distinct] = hi[k]!;
          index[distinct++] = index[k]!;
        }
      }
      i = end;
    }
    return distinct;
  }
}
