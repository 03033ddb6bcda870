import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';
import type { ContextSeeder } from '../schemes/seeding.js';
import type { TupleObserver } from '../detect/score-tape.js';
import { AccountLayer } from './account-signer.js';
import { AccountTally } from './account-tally.js';
import { OwnerCounts } from './owner-counts.js';
import {
  attributeFromOwners,
  attributeFromTally,
  type AttributeOptions,
  type AttributionMethod,
  type AttributionReport,
} from './attribute-accounts.js';
import { decodeAccountFromTally, type AccountDecoding, type DecodeAccountOptions } from './decode-account.js';

/**
 * Which account received each window (an account ledger): enough for the ledger method of
 * attribution. Ownership is recorded on raw windows of `window` tokens of `tokenizer`.
 */
export interface WindowOwners {
  readonly window: number;
  readonly tokenizer: string;
  /** The one account that received the window tokens[end-h, end), or undefined (none, or several). */
  ownerOf(tokens: ArrayLike<number>, end: number): number | undefined;
}

/**
 * Watches the tuples a radioactivity test scores, for per-account tests afterwards: every
 * tuple fills the account tally (one pass, whatever the number of accounts) and, with
 * window owners, is credited to the one account that received its window.
 *
 * @example
 * ```ts
 * const watch = new AccountObserver(key, greenList.seeder, ledger);
 * watch.addTuple(words, count, token); // for each de-duplicated tuple
 * watch.credit(tokens, i, isGreen);    // after scoring it
 * watch.attributeAccounts([1, 2, 3], {}, 1e-6, greenList.gamma);
 * ```
 */
export class AccountObserver implements TupleObserver {
  /** The tally of digit-set memberships per codeword position. */
  readonly tally: AccountTally;
  private readonly layer: AccountLayer;
  private readonly owners: WindowOwners | undefined;
  private readonly ownerCounts: OwnerCounts | undefined;

  constructor(key: WatermarkKey, seeder: ContextSeeder, owners?: WindowOwners) {
    this.layer = new AccountLayer(key, seeder);
    this.tally = new AccountTally(this.layer.marks);
    if (owners) {
      checkOwners(owners, key);
      this.owners = owners;
      this.ownerCounts = new OwnerCounts(this.layer.code);
    }
  }

  /** True when window owners were given (the ledger method is available). */
  get hasOwners(): boolean {
    return this.ownerCounts !== undefined;
  }

  addTuple(words: ArrayLike<number>, count: number, token: number): void {
    this.tally.addTuple(words, count, token);
  }

  /** Ledger method: the tuple just added counts for the one account that received its window, if any. */
  credit(tokens: ArrayLike<number>, end: number, green: boolean): void {
    if (!this.owners || !this.ownerCounts) return;
    const owner = this.owners.ownerOf(tokens, end);
    if (owner !== undefined) this.ownerCounts.add(owner, green, this.tally.lastPosition, this.tally.lastMask);
  }

  /**
   * Per-account tests, Holm-corrected over the candidates: method `ledger` (default with
   * owners) or `tally` (default otherwise). `gamma` is the key's exact green probability.
   */
  attributeAccounts(
    candidates: ArrayLike<number>,
    options: AttributeOptions & { method?: AttributionMethod },
    alpha: number,
    gamma: number,
  ): AttributionReport {
    const method = options.method ?? (this.ownerCounts ? 'ledger' : 'tally');
    const opts = { ...options, alpha: options.alpha ?? alpha };
    if (method === 'tally') return attributeFromTally(this.tally, this.layer.code, candidates, opts);
    if (!this.ownerCounts) throw new RadiomarkError('INVALID_ARGUMENT', 'the ledger method needs the owners option of ClosedModeTest');
    return attributeFromOwners(this.ownerCounts, gamma, candidates, opts);
  }

  /** Decodes the account id that dominates the tuples seen (list decoding, corrected for 2^32 ids). */
  decodeAccount(options: DecodeAccountOptions, alpha: number): AccountDecoding {
    return decodeAccountFromTally(this.tally, this.layer.code, { ...options, alpha: options.alpha ?? alpha });
  }
}

function checkOwners(owners: WindowOwners, key: WatermarkKey): void {
  if (key.params.seeding !== 'lefthash') {
    // Ownership is recorded on raw windows; other seedings share one seed input between many windows.
    throw new RadiomarkError('UNSUPPORTED', `an account ledger requires a lefthash key (key ${key.id} uses ${key.params.seeding})`);
  }
  if (owners.window !== key.params.window) {
    throw new RadiomarkError(
      'INVALID_ARGUMENT',
      `the account ledger was built for window h=${owners.window} but the key has h=${key.params.window}`,
    );
  }
  if (owners.tokenizer !== key.params.tokenizer) {
    throw new RadiomarkError(
      'INVALID_ARGUMENT',
      `the account ledger records ${owners.tokenizer} tokens but the key uses ${key.params.tokenizer}`,
    );
  }
}
