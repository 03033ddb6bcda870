import { RadiomarkError } from '../base/errors.js';
import type { GreenList } from '../schemes/green-list.js';
import type { WatermarkKey } from '../key/key.js';
import { ScoreTape } from '../detect/score-tape.js';
import type { HashBatch } from '../detect/first-occurrences.js';
import { AccountLayer, type AccountSigner } from '../accounts/account-signer.js';
import { AccountTally } from '../accounts/account-tally.js';
import { decodeAccountFromTally } from '../accounts/decode-account.js';
import { attributeFromTally } from '../accounts/attribute-accounts.js';
import { readOntoTape } from './tape-reader.js';
import type { DetectInput, DetectOptions, WatermarkAccounts, WatermarkOptions } from './types.js';

/** The account layer of a key, built on first use (most watermarks never need it). */
export type LazyAccountLayer = () => AccountLayer;

/**
 * A lazily built account layer for `key`, sharing the green list's seeder.
 *
 * @example
 * ```ts
 * const layer = lazyAccountLayer(key, greenList);
 * layer().code.digitsOf(42);
 * ```
 */
export function lazyAccountLayer(key: WatermarkKey, greenList: GreenList): LazyAccountLayer {
  let layer: AccountLayer | undefined;
  return () => (layer ??= new AccountLayer(key, greenList.seeder));
}

/**
 * The generation-side account signer of the options, or `null` without an account.
 *
 * @example
 * ```ts
 * const signer = accountSignerOf({ account: 42 }, key.params, layer);
 * ```
 */
export function accountSignerOf(options: WatermarkOptions, params: WatermarkKey['params'], layer: LazyAccountLayer): AccountSigner | null {
  if (options.account === undefined) {
    if (options.accountDelta !== undefined)
      throw new RadiomarkError('INVALID_ARGUMENT', 'accountDelta needs an account id (the account option)');
    return null;
  }
  const delta = options.accountDelta ?? params.delta;
  if (typeof delta !== 'number' || !Number.isFinite(delta) || delta < 0 || delta > 100) {
    throw new RadiomarkError('INVALID_ARGUMENT', `accountDelta must be a number in [0, 100] (got ${String(delta)})`);
  }
  return layer().signer(options.account, delta);
}

/**
 * The account side of a watermark: one tuple-de-duplicated pass over a text fills the
 * account tally, from which accounts are decoded or candidates tested.
 *
 * @example
 * ```ts
 * const accounts = createAccountTests({ greenList, layer, toIds, sortBuffers });
 * accounts.decodeAccount(text).account;
 * ```
 */
export function createAccountTests(parts: {
  greenList: GreenList;
  layer: LazyAccountLayer;
  toIds: (input: DetectInput, what: string) => Uint32Array;
  sortBuffers: HashBatch;
}): WatermarkAccounts {
  const { greenList, layer, toIds, sortBuffers } = parts;
  const tallyOf = (input: DetectInput, opts: Pick<DetectOptions, 'prompt'>) => {
    const tally = new AccountTally(layer().marks);
    readOntoTape([input], opts, new ScoreTape(greenList, 'tuple', sortBuffers, tally), toIds);
    return tally;
  };
  return {
    decodeAccount: (input, opts = {}) => decodeAccountFromTally(tallyOf(input, opts), layer().code, opts),
    attributeAccounts: (input, candidates, opts = {}) => attributeFromTally(tallyOf(input, opts), layer().code, candidates, opts),
  };
}
