import type { WatermarkKey } from '../key/key.js';
import type { ContextSeeder } from '../schemes/seeding.js';
import { AccountCode, checkAccountId } from './account-code.js';
import { AccountMarks } from './account-marks.js';

/**
 * The account layer of one key: its code (ids to codewords and back) and its marks (window
 * positions and digit sets). Built once per watermark, on first use.
 *
 * @example
 * ```ts
 * const layer = new AccountLayer(key, greenList.seeder);
 * const signer = layer.signer(42, 2);
 * ```
 */
export class AccountLayer {
  readonly code: AccountCode;
  readonly marks: AccountMarks;

  constructor(key: WatermarkKey, seeder: ContextSeeder) {
    this.marks = new AccountMarks(key, seeder);
    this.code = new AccountCode(key);
  }

  /** The generation-side bias of one account. */
  signer(account: number, delta: number): AccountSigner {
    return new AccountSigner(this.marks, this.code.digitsOf(checkAccountId(account)), delta);
  }
}

/**
 * Biases generation towards one account's digit sets, on top of the green-list bias.
 *
 * @example
 * ```ts
 * signer.bias(context, logits); // after greenList.bias(context, logits, delta)
 * ```
 */
export class AccountSigner {
  constructor(
    private readonly marks: AccountMarks,
    private readonly digits: Uint8Array,
    readonly delta: number,
  ) {}

  /** Adds `delta` to the logits of the account's set after `context`, in place. */
  bias(context: ArrayLike<number>, logits: Float32Array): Float32Array {
    return this.marks.bias(context, logits, this.digits, this.delta);
  }

  /** True if `token` is in the account's set after `context` (needs a full window). */
  isMarked(context: ArrayLike<number>, token: number): boolean {
    return this.marks.isMarked(context, token, this.digits);
  }
}
