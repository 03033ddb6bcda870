import type { WatermarkKey } from '../key.js';
import { parseAccountId } from '../node/account-list.js';
import { createWatermark } from '../watermark.js';
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
