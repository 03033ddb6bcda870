import { RadiomarkError } from '../base/errors.js';
import { crc32 } from '../base/crc32.js';
import { checkRawWindow, hashRawWindow } from '../windows/window-hash.js';
import type { WindowFilter } from '../windows/window-filter.js';
import { BloomFilter, bloomFalsePositiveRate } from './bloom-filter.js';

/** File magic: "RMLEDGER". */
export const LEDGER_MAGIC = 'RMLEDGER';
/** Current ledger file version. */
export const LEDGER_VERSION = 1;

/** Public description of a ledger (the `ledger info` output). */
export interface LedgerInfo {
  version: number;
  /** h: the raw window length recorded. */
  window: number;
  tokenizer: string;
  /** m, the Bloom filter's bits. */
  bits: number;
  /** k, its probes. */
  hashes: number;
  /** Insertions that set a new bit (over-counts nothing; merges add them, an upper bound). */
  inserted: number;
  /** Distinct windows estimated from the fill: -(m/k) ln(1 - X/m). */
  estimatedWindows: number;
  /** Fraction of bits set. */
  fill: number;
  /** (1 - e^(-k n / m))^k with n = estimatedWindows: chance an unseen window passes the filter. */
  falsePositiveRate: number;
  /** File size in bytes. */
  bytes: number;
}

/** Options of {@link EmissionLedger.create}. */
export interface LedgerOptions {
  /** h, the window length (must match the keys it will filter for). */
  window: number;
  /** Tokenizer of the recorded token ids. Default `o200k_base`. */
  tokenizer?: string;
  /** Distinct windows the ledger is sized for. Default 10 million. */
  capacity?: number;
  /** Target false-positive rate at capacity. Default 1e-3. */
  falsePositiveRate?: number;
}

const HEADER_FIXED = 8 + 4 * 5 + 8; // magic, version, window, hashes, log2 bits, tokenizer length, inserted

/**
 * A provider's emission ledger: a Bloom filter of the raw h-token windows of every
 * watermarked output it emitted, usable later as the closed-mode filter. Raw windows (not
 * keyed seed inputs) are recorded, so one ledger serves every key with that window and a
 * MinHash key's rank sub-key is not needed to build it. Files are versioned, checksummed
 * (CRC-32) and mergeable (bitwise OR of same-parameter filters, e.g. from several servers).
 *
 * A false positive only adds a scored tuple the suspect could not have learnt from us:
 * whether a window passes the filter does not depend on its colours, so the p-value stays
 * exact; it just dilutes the signal a little.
 *
 * @example
 * ```ts
 * const ledger = EmissionLedger.create({ window: 2, capacity: 1e7 });
 * ledger.record(outputIds);
 * await writeFile('emitted.rmledger', ledger.toBytes());
 * ```
 */
export class EmissionLedger implements WindowFilter {
  private readonly scratch = new Uint32Array(16);
  private readonly hash = new Uint32Array(2);

  private constructor(
    readonly window: number,
    readonly tokenizer: string,
    private readonly bloom: BloomFilter,
  ) {}

  /**
   * An empty ledger.
   *
   * @example
   * ```ts
   * EmissionLedger.create({ window: 2, capacity: 1e6, falsePositiveRate: 1e-4 });
   * ```
   */
  static create(options: LedgerOptions): EmissionLedger {
    const { window, tokenizer = 'o200k_base', capacity = 1e7, falsePositiveRate = 1e-3 } = options;
    checkRawWindow(window);
    return new EmissionLedger(window, tokenizer, BloomFilter.forCapacity(capacity, falsePositiveRate));
  }

  /**
   * Parses a ledger file; throws `INPUT_FORMAT` for a bad magic, unknown version, truncation
   * or checksum mismatch.
   *
   * @example
   * ```ts
   * const ledger = EmissionLedger.fromBytes(await readFile('emitted.rmledger'));
   * ```
   */
  static fromBytes(bytes: Uint8Array, source = 'ledger'): EmissionLedger {
    const fail = (why: string): never => {
      throw new RadiomarkError('INPUT_FORMAT', `${source}: ${why}`);
    };
    if (bytes.length < HEADER_FIXED + 4) fail('too short to be a radiomark ledger');
    if (new TextDecoder().decode(bytes.subarray(0, 8)) !== LEDGER_MAGIC) fail('not a radiomark ledger (bad magic)');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = view.getUint32(8, true);
    if (version !== LEDGER_VERSION) fail(`unsupported ledger version ${version} (this radiomark reads ${LEDGER_VERSION})`);
    const window = view.getUint32(12, true);
    const hashes = view.getUint32(16, true);
    const log2Bits = view.getUint32(20, true);
    const nameLength = view.getUint32(24, true);
    const inserted = view.getFloat64(28, true);
    if (log2Bits < 6 || log2Bits > 31 || nameLength > 64) fail('corrupt header');
    const start = HEADER_FIXED + nameLength;
    const end = start + 2 ** log2Bits / 8;
    if (bytes.length !== end + 4) fail(`truncated or padded (expected ${end + 4} bytes, got ${bytes.length})`);
    if (crc32(bytes.subarray(0, end)) !== view.getUint32(end, true)) fail('checksum mismatch (corrupt file)');
    const tokenizer = new TextDecoder().decode(bytes.subarray(HEADER_FIXED, start));
    try {
      checkRawWindow(window);
      return new EmissionLedger(window, tokenizer, new BloomFilter(bytes.slice(start, end), hashes, inserted));
    } catch (e) {
      return fail(`corrupt header (${(e as Error).message})`);
    }
  }

  /**
   * An empty ledger with this one's window, tokenizer, size and probe count: what a writer
   * records into before merging it into the ledger file (under a lock).
   *
   * @example
   * ```ts
   * const delta = ledger.emptyLike().record(outputIds);
   * const updated = ledger.merge(delta);
   * ```
   */
  emptyLike(): EmissionLedger {
    const bits = new Uint8Array(this.bloom.bits.length);
    return new EmissionLedger(this.window, this.tokenizer, new BloomFilter(bits, this.bloom.hashes, 0));
  }

  /** Records every full window of one emitted output (with its prompt in front, if any). */
  record(ids: ArrayLike<number>): this {
    for (let end = this.window; end <= ids.length; end++) {
      hashRawWindow(ids, end, this.window, this.scratch, this.hash);
      this.bloom.add(this.hash[0]!, this.hash[1]!);
    }
    return this;
  }

  hasWindow(tokens: ArrayLike<number>, end: number): boolean {
    hashRawWindow(tokens, end, this.window, this.scratch, this.hash);
    return this.bloom.has(this.hash[0]!, this.hash[1]!);
  }

  /**
   * A new ledger holding both (bitwise OR); both must have the same window, tokenizer, size
   * and probe count.
   *
   * @example
   * ```ts
   * const all = ledgerA.merge(ledgerB);
   * ```
   */
  merge(other: EmissionLedger): EmissionLedger {
    const a = this.bloom;
    const b = other.bloom;
    if (other.window !== this.window || other.tokenizer !== this.tokenizer || a.sizeBits !== b.sizeBits || a.hashes !== b.hashes) {
      throw new RadiomarkError('INVALID_ARGUMENT', 'cannot merge ledgers with different window, tokenizer, size or hash count');
    }
    const bits = Uint8Array.from(a.bits);
    for (let i = 0; i < bits.length; i++) bits[i] = bits[i]! | b.bits[i]!;
    return new EmissionLedger(this.window, this.tokenizer, new BloomFilter(bits, a.hashes, a.inserted + b.inserted));
  }

  /** Parameters, fill and false-positive rate. */
  info(): LedgerInfo {
    const m = this.bloom.sizeBits;
    const k = this.bloom.hashes;
    const fill = this.bloom.bitsSet() / m;
    const estimatedWindows = fill >= 1 ? Infinity : (-m / k) * Math.log1p(-fill);
    return {
      version: LEDGER_VERSION,
      window: this.window,
      tokenizer: this.tokenizer,
      bits: m,
      hashes: k,
      inserted: this.bloom.inserted,
      estimatedWindows: Math.round(estimatedWindows),
      fill,
      falsePositiveRate: bloomFalsePositiveRate(m, k, estimatedWindows),
      bytes: HEADER_FIXED + this.tokenizer.length + m / 8 + 4,
    };
  }

  /** The file bytes: header, bit array, CRC-32 of everything before it. */
  toBytes(): Uint8Array {
    const name = new TextEncoder().encode(this.tokenizer);
    const bits = this.bloom.bits;
    const out = new Uint8Array(HEADER_FIXED + name.length + bits.length + 4);
    const view = new DataView(out.buffer);
    out.set(new TextEncoder().encode(LEDGER_MAGIC), 0);
    view.setUint32(8, LEDGER_VERSION, true);
    view.setUint32(12, this.window, true);
    view.setUint32(16, this.bloom.hashes, true);
    view.setUint32(20, Math.log2(this.bloom.sizeBits), true);
    view.setUint32(24, name.length, true);
    view.setFloat64(28, this.bloom.inserted, true);
    out.set(name, HEADER_FIXED);
    out.set(bits, HEADER_FIXED + name.length);
    const end = out.length - 4;
    view.setUint32(end, crc32(out.subarray(0, end)), true);
    return out;
  }
}
