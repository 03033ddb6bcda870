import { RadiomarkError } from '../base/errors.js';

/**
 * A Bloom filter over 64-bit hashes (lo, hi): m = 2^b bits, k probes by double hashing
 * (probe i = lo + i * (hi | 1) mod m). No false negatives; after n distinct insertions the
 * false-positive rate is about (1 - e^(-kn/m))^k.
 *
 * @example
 * ```ts
 * const bloom = BloomFilter.forCapacity(1_000_000, 1e-4);
 * bloom.add(lo, hi);
 * bloom.has(lo, hi); // true
 * ```
 */
export class BloomFilter {
  /** Number of add calls that set at least one new bit (about the distinct insertions). */
  inserted: number;
  private readonly mask: number;

  constructor(
    /** The bit array (length m / 8 bytes, m a power of two >= 64). */
    readonly bits: Uint8Array,
    /** k, the number of probes. */
    readonly hashes: number,
    inserted = 0,
  ) {
    const m = bits.length * 8;
    if (m < 64 || (m & (m - 1)) !== 0 || m > 2 ** 31) {
      throw new RadiomarkError('INVALID_ARGUMENT', `Bloom filter size must be a power of two from 64 to 2^31 bits (got ${m})`);
    }
    if (!Number.isInteger(hashes) || hashes < 1 || hashes > 32) {
      throw new RadiomarkError('INVALID_ARGUMENT', `Bloom filter hash count must be in 1..32 (got ${hashes})`);
    }
    this.mask = m - 1;
    this.inserted = inserted;
  }

  /**
   * A filter sized for `capacity` distinct items at false-positive rate `fpr`:
   * m = -n ln(p) / ln(2)^2 rounded up to a power of two, k = round(m / n ln 2).
   *
   * @example
   * ```ts
   * BloomFilter.forCapacity(1e6, 1e-4).sizeBits; // 2^25
   * ```
   */
  static forCapacity(capacity: number, fpr: number): BloomFilter {
    if (!(capacity >= 1) || !Number.isFinite(capacity)) throw new RadiomarkError('INVALID_ARGUMENT', 'capacity must be >= 1');
    if (!(fpr > 0 && fpr < 1)) throw new RadiomarkError('INVALID_ARGUMENT', 'false-positive rate must be in (0, 1)');
    const ideal = (-capacity * Math.log(fpr)) / Math.LN2 ** 2;
    let m = 64;
    while (m < ideal && m < 2 ** 31) m *= 2;
    const k = Math.min(32, Math.max(1, Math.round((m / capacity) * Math.LN2)));
    return new BloomFilter(new Uint8Array(m / 8), k);
  }

  /** m, the number of bits. */
  get sizeBits(): number {
    return this.bits.length * 8;
  }

  /** Inserts a 64-bit hash. */
  add(lo: number, hi: number): void {
    const step = (hi | 1) >>> 0;
    let fresh = false;
    for (let i = 0; i < this.hashes; i++) {
      const bit = (lo + Math.imul(i, step)) & this.mask;
      const byte = bit >>> 3;
      const flag = 1 << (bit & 7);
      if ((this.bits[byte]! & flag) === 0) {
        this.bits[byte] = this.bits[byte]! | flag;
        fresh = true;
      }
    }
    if (fresh) this.inserted++;
  }

  /** True if the hash may have been inserted (false: certainly not). */
  has(lo: number, hi: number): boolean {
    const step = (hi | 1) >>> 0;
    for (let i = 0; i < this.hashes; i++) {
      const bit = (lo + Math.imul(i, step)) & this.mask;
      if ((this.bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }

  /** Number of bits set. */
  bitsSet(): number {
    let n = 0;
    for (let i = 0; i < this.bits.length; i++) {
      let b = this.bits[i]!;
      while (b) {
        b &= b - 1;
        n++;
      }
    }
    return n;
  }
}

/**
 * The textbook false-positive rate (1 - e^(-k n / m))^k of a Bloom filter of m bits and k
 * probes holding n distinct items.
 *
 * @example
 * ```ts
 * bloomFalsePositiveRate(2 ** 24, 13, 1e6); // ~1.2e-4
 * ```
 */
export function bloomFalsePositiveRate(m: number, k: number, n: number): number {
  return (-Math.expm1((-k * n) / m)) ** k;
}
