/**
 * A growable set of 64-bit hashes (open addressing, linear probing), used as the
 * de-duplication tape: 8 bytes per slot at a load factor of at most 1/2, so at most 16
 * bytes per unique tuple.
 *
 * @example
 * ```ts
 * const seen = new TupleSet();
 * seen.add(1, 2); // true: new
 * seen.add(1, 2); // false: repeat
 * ```
 */
export class TupleSet {
  private slots: Uint32Array;
  private mask: number;
  private shift: number;
  /** Number of distinct hashes stored. */
  size = 0;

  constructor(expected = 1024) {
    this.slots = new Uint32Array(capacityFor(expected) * 2);
    this.mask = this.slots.length / 2 - 1;
    this.shift = 32 - Math.log2(this.mask + 1);
  }

  /** Makes room for `more` additional hashes at once (one rehash instead of many doublings). */
  reserve(more: number): void {
    const capacity = capacityFor(this.size + more);
    if (capacity > this.mask + 1) this.rehash(capacity);
  }

  /** Adds the hash (lo, hi); returns true if it was not there before. */
  add(lo: number, hi: number): boolean {
    const i = this.probe(lo, hi);
    const slots = this.slots;
    if ((slots[2 * i]! | slots[2 * i + 1]!) !== 0) return false;
    slots[2 * i] = (lo | hi) === 0 ? 1 : lo;
    slots[2 * i + 1] = hi;
    if (++this.size * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    return true;
  }

  /** True if the hash (lo, hi) is in the set. */
  has(lo: number, hi: number): boolean {
    const i = this.probe(lo, hi);
    return (this.slots[2 * i]! | this.slots[2 * i + 1]!) !== 0;
  }

  // The slot holding (lo, hi), or the empty slot where it would go. The top bits of a
  // well-mixed hash pick the start: hashes added in sorted order then walk the table
  // sequentially (see ScoreTape), which keeps large tapes cache-friendly.
  private probe(lo: number, hi: number): number {
    // (0, 0) marks an empty slot, so it is stored as (1, 0).
    const wantLo = (lo | hi) === 0 ? 1 : lo >>> 0;
    const wantHi = hi >>> 0;
    const slots = this.slots;
    let i = wantLo >>> this.shift;
    for (;;) {
      const sLo = slots[2 * i]!;
      const sHi = slots[2 * i + 1]!;
      if ((sLo | sHi) === 0 || (sLo === wantLo && sHi === wantHi)) return i;
      i = (i + 1) & this.mask;
    }
  }

  private rehash(capacity: number): void {
    const old = this.slots;
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) {
      if ((old[i]! | old[i + 1]!) !== 0) this.add(old[i]!, old[i + 1]!);
    }
  }
}

// Smallest power of two (at least 16) that keeps the load factor at or below 1/2.
function capacityFor(entries: number): number {
  let capacity = 16;
  while (capacity < entries * 2) capacity *= 2;
  return capacity;
}
