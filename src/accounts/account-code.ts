import { RadiomarkError } from '../errors.js';
import { subkeyOf, type WatermarkKey } from '../key.js';
import { sipHashWords, sipKey, type SipKey } from '../prf/siphash.js';

/**
 * Account ids are unsigned 32-bit integers.
 *
 * @example
 * ```ts
 * checkAccountId(MAX_ACCOUNT_ID); // ok
 * ```
 */
export const MAX_ACCOUNT_ID = 0xffffffff;
/** Digits of a codeword: each window carries one of them (chosen by the window's keyed hash). */
export const CODEWORD_DIGITS = 16;
/** Values a digit takes (4 bits): 16 digits x 4 bits = one 64-bit codeword. */
export const DIGIT_VALUES = 16;

const FEISTEL_ROUNDS = 4;

/**
 * The keyed code that turns a 32-bit account id into a 64-bit codeword of 16 hex digits: a
 * 4-round Feistel permutation (SipHash-2-4 round function) of (id, 0). The 32 zero bits are
 * a check: a wrongly decoded codeword inverts to a non-zero check with probability 1 - 2^-32.
 * Because the permutation is keyed, the codewords of different accounts behave like
 * independent uniform draws (without replacement), which is what makes the attribution test
 * exact for innocent accounts whatever the guilty ones did (docs/ATTRIBUTION.md).
 *
 * @example
 * ```ts
 * const code = new AccountCode(key);
 * code.accountOf(code.digitsOf(1234)); // 1234
 * ```
 */
export class AccountCode {
  private readonly roundKey: SipKey;
  private readonly words = new Uint32Array(2);
  private readonly out = new Uint32Array(2);

  constructor(key: WatermarkKey) {
    this.roundKey = sipKey(subkeyOf(key, 'account-code/kgw'));
  }

  /** The 16 digits (0..15) of the codeword of `account`. */
  digitsOf(account: number, digits = new Uint8Array(CODEWORD_DIGITS)): Uint8Array {
    let left = checkAccountId(account);
    let right = 0;
    for (let r = 0; r < FEISTEL_ROUNDS; r++) [left, right] = [right, (left ^ this.round(r, right)) >>> 0];
    return splitDigits(left, right, digits);
  }

  /** The account whose codeword has these digits, or `undefined` when the check bits fail. */
  accountOf(digits: ArrayLike<number>): number | undefined {
    let left = joinWord(digits, 0);
    let right = joinWord(digits, 8);
    for (let r = FEISTEL_ROUNDS - 1; r >= 0; r--) [left, right] = [(right ^ this.round(r, left)) >>> 0, left];
    return right === 0 ? left : undefined;
  }

  private round(r: number, half: number): number {
    this.words[0] = r;
    this.words[1] = half;
    sipHashWords(this.roundKey, this.words, 0, 2, this.out);
    return this.out[0]!;
  }
}

/**
 * Throws `INVALID_ARGUMENT` unless `account` is an integer from 0 to 2^32 - 1; returns it.
 *
 * @example
 * ```ts
 * checkAccountId(42); // 42
 * ```
 */
export function checkAccountId(account: unknown, what = 'account id'): number {
  if (typeof account !== 'number' || !Number.isInteger(account) || account < 0 || account > MAX_ACCOUNT_ID) {
    throw new RadiomarkError('INVALID_ARGUMENT', `${what} must be an integer from 0 to ${MAX_ACCOUNT_ID} (got ${String(account).slice(0, 40)})`);
  }
  return account;
}

// Digit i holds bits 4i..4i+3 of the 64-bit codeword, most significant nibble of `high` first.
function splitDigits(high: number, low: number, digits: Uint8Array): Uint8Array {
  for (let i = 0; i < 8; i++) {
    digits[i] = (high >>> (28 - 4 * i)) & 15;
    digits[8 + i] = (low >>> (28 - 4 * i)) & 15;
  }
  return digits;
}

function joinWord(digits: ArrayLike<number>, from: number): number {
  let w = 0;
  for (let i = 0; i < 8; i++) w = ((w << 4) | (digits[from + i]! & 15)) >>> 0;
  return w;
}
