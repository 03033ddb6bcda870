import { checkAccountId } from '../accounts/account-code.js';
import { RadiomarkError } from '../base/errors.js';
import { crc32 } from '../base/crc32.js';
import type { WindowFilter } from '../windows/window-filter.js';
import { checkRawWindow, hashRawWindow } from '../windows/window-hash.js';

/**
 * File magic: "RMOWNERS".
 *
 * @example
 * ```ts
 * new TextDecoder().decode(bytes.subarray(0, 8)) === ACCOUNT_LEDGER_MAGIC;
 * ```
 */
export const ACCOUNT_LEDGER_MAGIC = 'RMOWNERS';
/**
 * Current account-ledger file version.
 *
 * @example
 * ```ts
 * ledger.info().version === ACCOUNT_LEDGER_VERSION; // true
 * ```
 */
export const ACCOUNT_LEDGER_VERSION = 1;

const EMPTY = 0;
const OWNED = 1;
const SHARED = 2;
const HEADER_FIXED = 8 + 4 * 4; // magic, version, window, tokenizer length, entries
const ENTRY_BYTES = 16; // hash lo, hash hi, owner, state (1 owned, 2 shared)

/** Public description of an account ledger. */
export interface AccountLedgerInfo {
  version: number;
  window: number;
  tokenizer: string;
  /** Distinct windows recorded. */
  windows: number;
  /** Windows emitted to exactly one account (the ones the per-account test can use). */
  exclusive: number;
  /** File size in bytes. */
  bytes: number;
}

/**
 * Which account each emitted raw window went to: an exact map from the 64-bit hash of every
 * h-token window in the provider's outputs to the one account that received it, or to
 * "shared" once a second account received it too. The per-account radioactivity test scores
 * a suspect tuple for account a only at windows exclusive to a, where no other account's
 * watermark can reach the suspect (docs/ATTRIBUTION.md). It must record the outputs of
 * every account: a window missing from it could look exclusive while another account also
 * received it. About 26-52 bytes of memory per distinct window (13-byte slots at a load of
 * 1/4 to 1/2) and 16 bytes on disk; files are versioned, checksummed (CRC-32) and mergeable.
 * It is also an exact emission filter (`hasWindow`: received by anyone), so it can serve as
 * the closed-mode filter too.
 *
 * @example
 * ```ts
 * const ledger = AccountLedger.create({ window: 2 });
 * ledger.record(accountId, concatIds(promptIds, outputIds));
 * await writeFile('owners.rmowners', ledger.toBytes());
 * ```
 */
export class AccountLedger implements WindowFilter {
  private lo = new Uint32Array(1024);
  private hi = new Uint32Array(1024);
  private owner = new Uint32Array(1024);
  private state = new Uint8Array(1024);
  private size = 0;
  private readonly scratch = new Uint32Array(17);
  private readonly hash = new Uint32Array(2);

  private constructor(
    readonly window: number,
    readonly tokenizer: string,
  ) {}

  /**
   * An empty ledger for windows of h tokens.
   *
   * @example
   * ```ts
   * AccountLedger.create({ window: 2, tokenizer: 'o200k_base' });
   * ```
   */
  static create(options: { window: number; tokenizer?: string }): AccountLedger {
    checkRawWindow(options.window);
    return new AccountLedger(options.window, options.tokenizer ?? 'o200k_base');
  }

  /** Records every full window of one output sent to `account` (prompt in front, if any). */
  record(account: number, ids: ArrayLike<number>): this {
    checkAccountId(account);
    for (let end = this.window; end <= ids.length; end++) {
      hashRawWindow(ids, end, this.window, this.scratch, this.hash);
      this.put(this.hash[0]!, this.hash[1]!, account, OWNED);
    }
    return this;
  }

  /** The account the window tokens[end-h, end) went to, or `undefined` if none or several. */
  ownerOf(tokens: ArrayLike<number>, end: number): number | undefined {
    hashRawWindow(tokens, end, this.window, this.scratch, this.hash);
    const i = this.probe(this.hash[0]!, this.hash[1]!);
    return this.state[i] === OWNED ? this.owner[i] : undefined;
  }

  /** True if any account received the window tokens[end-h, end) (the closed-mode filter). */
  hasWindow(tokens: ArrayLike<number>, end: number): boolean {
    hashRawWindow(tokens, end, this.window, this.scratch, this.hash);
    return this.state[this.probe(this.hash[0]!, this.hash[1]!)] !== EMPTY;
  }

  /**
   * A new ledger holding both; a window owned by different accounts becomes shared. Both
   * must have the same window and tokenizer.
   *
   * @example
   * ```ts
   * const all = serverA.merge(serverB);
   * ```
   */
  merge(other: AccountLedger): AccountLedger {
    if (other.window !== this.window || other.tokenizer !== this.tokenizer) {
      throw new RadiomarkError('INVALID_ARGUMENT', 'cannot merge account ledgers with different window or tokenizer');
    }
    const out = new AccountLedger(this.window, this.tokenizer);
    for (const source of [this, other]) source.forEach((lo, hi, owner, state) => out.put(lo, hi, owner, state));
    return out;
  }

  /** Size and exclusivity counts. */
  info(): AccountLedgerInfo {
    let exclusive = 0;
    this.forEach((_lo, _hi, _owner, state) => {
      if (state === OWNED) exclusive++;
    });
    const name = new TextEncoder().encode(this.tokenizer);
    return {
      version: ACCOUNT_LEDGER_VERSION,
      window: this.window,
      tokenizer: this.tokenizer,
      windows: this.size,
      exclusive,
      bytes: HEADER_FIXED + name.length + this.size * ENTRY_BYTES + 4,
    };
  }

  /** The file bytes: header, entries (hash, owner), CRC-32 of everything before it. */
  toBytes(): Uint8Array {
    const name = new TextEncoder().encode(this.tokenizer);
    const out = new Uint8Array(HEADER_FIXED + name.length + this.size * ENTRY_BYTES + 4);
    const view = new DataView(out.buffer);
    out.set(new TextEncoder().encode(ACCOUNT_LEDGER_MAGIC), 0);
    view.setUint32(8, ACCOUNT_LEDGER_VERSION, true);
    view.setUint32(12, this.window, true);
    view.setUint32(16, name.length, true);
    view.setUint32(20, this.size, true);
    out.set(name, HEADER_FIXED);
    let at = HEADER_FIXED + name.length;
    this.forEach((lo, hi, owner, state) => {
      view.setUint32(at, lo, true);
      view.setUint32(at + 4, hi, true);
      view.setUint32(at + 8, owner, true);
      view.setUint32(at + 12, state, true);
      at += ENTRY_BYTES;
    });
    view.setUint32(at, crc32(out.subarray(0, at)), true);
    return out;
  }

  /**
   * Parses a ledger file; throws `INPUT_FORMAT` for a bad magic, unknown version, truncation
   * or checksum mismatch.
   *
   * @example
   * ```ts
   * const owners = AccountLedger.fromBytes(await readFile('owners.rmowners'));
   * ```
   */
  static fromBytes(bytes: Uint8Array, source = 'account ledger'): AccountLedger {
    const fail = (why: string): never => {
      throw new RadiomarkError('INPUT_FORMAT', `${source}: ${why}`);
    };
    if (bytes.length < HEADER_FIXED + 4) fail('too short to be a radiomark account ledger');
    if (new TextDecoder().decode(bytes.subarray(0, 8)) !== ACCOUNT_LEDGER_MAGIC) fail('not a radiomark account ledger (bad magic)');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = view.getUint32(8, true);
    if (version !== ACCOUNT_LEDGER_VERSION)
      fail(`unsupported account ledger version ${version} (this radiomark reads ${ACCOUNT_LEDGER_VERSION})`);
    const window = view.getUint32(12, true);
    const nameLength = view.getUint32(16, true);
    const entries = view.getUint32(20, true);
    if (nameLength > 64) fail('corrupt header');
    const start = HEADER_FIXED + nameLength;
    const end = start + entries * ENTRY_BYTES;
    if (bytes.length !== end + 4) fail(`truncated or padded (expected ${end + 4} bytes, got ${bytes.length})`);
    if (crc32(bytes.subarray(0, end)) !== view.getUint32(end, true)) fail('checksum mismatch (corrupt file)');
    try {
      checkRawWindow(window);
    } catch {
      fail(`corrupt header (window ${window})`);
    }
    const ledger = new AccountLedger(window, new TextDecoder().decode(bytes.subarray(HEADER_FIXED, start)));
    for (let at = start; at < end; at += ENTRY_BYTES) {
      const state = view.getUint32(at + 12, true);
      if (state !== OWNED && state !== SHARED) fail(`corrupt entry at byte ${at}`);
      ledger.put(view.getUint32(at, true), view.getUint32(at + 4, true), view.getUint32(at + 8, true), state);
    }
    return ledger;
  }

  private put(lo: number, hi: number, owner: number, state: number): void {
    const i = this.probe(lo, hi);
    if (this.state[i] === EMPTY) {
      this.lo[i] = lo;
      this.hi[i] = hi;
      this.owner[i] = owner;
      this.state[i] = state;
      if (++this.size * 2 > this.state.length) this.grow();
    } else if (state === SHARED || this.owner[i] !== owner) {
      this.state[i] = SHARED;
    }
  }

  private probe(lo: number, hi: number): number {
    const mask = this.state.length - 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    while (this.state[i] !== EMPTY && (this.lo[i] !== lo >>> 0 || this.hi[i] !== hi >>> 0)) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const old = { lo: this.lo, hi: this.hi, owner: this.owner, state: this.state };
    const n = old.state.length * 2;
    [this.lo, this.hi, this.owner, this.state] = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n), new Uint8Array(n)];
    this.size = 0;
    for (let i = 0; i < old.state.length; i++) if (old.state[i] !== EMPTY) this.put(old.lo[i]!, old.hi[i]!, old.owner[i]!, old.state[i]!);
  }

  private forEach(visit: (lo: number, hi: number, owner: number, state: number) => void): void {
    for (let i = 0; i < this.state.length; i++)
      if (this.state[i] !== EMPTY) visit(this.lo[i]!, this.hi[i]!, this.owner[i]!, this.state[i]!);
  }
}
