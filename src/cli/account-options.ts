import type { WatermarkKey } from '../key/key.js';
import { AccountLedger } from '../ledger/account-ledger.js';
import { parseAccountId } from '../node/account-list.js';
import { ClosedModeTest } from '../radioactivity/closed-mode.js';
import { createWatermark } from '../watermark/watermark.js';
import { UsageError } from './usage-error.js';

/** Parses an account id flag (decimal, 0 to 2^32 - 1), with a clear error naming the flag. */
export function accountIdOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const id = parseAccountId(value);
  if (typeof id === 'string') throw new UsageError(`--${name}: ${id}`);
  return id;
}

/**
 * Throws UNSUPPORTED (exit 2) unless the key can carry account ids, before any slow work
 * (model loading, reading inputs). The library owns the rule: asking it for a throwaway
 * account watermark applies exactly that rule.
 */
export function checkAccountKey(key: WatermarkKey): void {
  createWatermark(key, { account: 0 });
}

/**
 * Throws UNSUPPORTED (exit 2) unless the key can be used with an account ledger (lefthash
 * seeding), before the ledger and the suspect outputs are read. As above, the library owns
 * the rule: a throwaway closed-mode test with an empty ledger of the key's window applies it.
 */
export function checkOwnersKey(key: WatermarkKey): void {
  const { window, tokenizer } = key.params;
  // Ledger windows start at 1; an h=0 key then fails on the window rule, with its own message.
  new ClosedModeTest([key], { owners: AccountLedger.create({ window: Math.max(1, window), tokenizer }) });
}
