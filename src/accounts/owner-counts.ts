import type { AccountCode } from './account-code.js';

/** What the suspect did at the windows exclusive to one account. */
export interface OwnerCount {
  /** De-duplicated suspect tuples at windows only this account received. */
  scored: number;
  /** Of those, green under the provider key. */
  green: number;
  /** Of those, in the set of the account's own codeword digit. */
  hits: number;
}

/**
 * Per-account counts for the ledger-based attribution test: each scored suspect tuple whose
 * window went to exactly one account (per the {@link AccountLedger}) is credited to that
 * account alone, so the work per token is one map update whatever the number of accounts.
 *
 * @example
 * ```ts
 * const counts = new OwnerCounts(code);
 * counts.add(owner, isGreen, tally.lastPosition, tally.lastMask);
 * counts.get(owner); // { scored, green, hits }
 * ```
 */
export class OwnerCounts {
  private readonly counts = new Map<number, OwnerCount>();
  private readonly digits = new Map<number, Uint8Array>();

  constructor(private readonly code: AccountCode) {}

  /** Credits one tuple to `owner`: green or not, and its digit-set memberships at `position`. */
  add(owner: number, green: boolean, position: number, mask: number): void {
    let digits = this.digits.get(owner);
    if (!digits) {
      digits = this.code.digitsOf(owner);
      this.digits.set(owner, digits);
    }
    let c = this.counts.get(owner);
    if (!c) {
      c = { scored: 0, green: 0, hits: 0 };
      this.counts.set(owner, c);
    }
    c.scored++;
    if (green) c.green++;
    c.hits += (mask >>> digits[position]!) & 1;
  }

  /** The counts of one account (zeros when none of its windows was scored). */
  get(account: number): OwnerCount {
    return this.counts.get(account) ?? { scored: 0, green: 0, hits: 0 };
  }

  /** Accounts with at least one scored tuple. */
  get size(): number {
    return this.counts.size;
  }
}
