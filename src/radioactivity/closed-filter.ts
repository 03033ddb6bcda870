import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';
import type { WindowFilter } from '../windows/window-filter.js';

/**
 * Checks that a closed-mode filter fits the key: same window, and LeftHash seeding. With
 * MinHash/SelfHash a one-token seed input is shared by many windows, so whether a window
 * made it into the provider's outputs (the filter) can depend on the colours of the very
 * tuples scored later: the exact null would not hold. LeftHash has no such link.
 *
 * @example
 * ```ts
 * const filter = checkFilter(options.filter, keys[0]);
 * ```
 */
export function checkFilter(filter: WindowFilter | undefined, key: WatermarkKey): WindowFilter | undefined {
  if (!filter) return undefined;
  if (filter.window !== key.params.window) {
    throw new RadiomarkError(
      'INVALID_ARGUMENT',
      `the filter was built for window h=${filter.window} but the key has h=${key.params.window}`,
    );
  }
  if (key.params.seeding !== 'lefthash') {
    throw new RadiomarkError('UNSUPPORTED', `a filter requires lefthash keys (key ${key.id} uses ${key.params.seeding})`);
  }
  return filter;
}
