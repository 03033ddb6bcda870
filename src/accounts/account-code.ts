import { RadiomarkError } from '../base/errors.js';
import { subkeyOf, type WatermarkKey } from '../key/key.js';
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
/**
 * Digits of a codeword: each window carries one of them (chosen by the window's keyed hash).
 *
 * @example
 * ```ts
 * code.digitsOf(42).length === CODEWORD_DIGITS; // true
 * ```
 */
export const CODEWORD_DIGITS = 32;
/**
 * Values a digit takes (4 bits): 32 digits x 4 bits = one 128-bit codeword.
 *
 * @example
 * ```ts
 * tally.rows()[0].length === DIGIT_VALUES; // true
 * ```
 */
export const DIGIT_VALUES = 16;
/**
 * The first 8 digits (32 bits) are a keyed permutation of the account id; the rest is a keyed
 * function of it (the check digits).
 *
 * @example
 * ```ts
 * code.accountOf(code.digitsOf(42).subarray(0, ID_DIGITS)); // 42
 * ```
 */
export const ID_DIGITS = 8;

const FEISTEL_ROUNDS = 8;

/**
 * The keyed code that turns a 32-bit account id into a 128-bit codeword of 32 hex digits:
 * digits 0-7 are a keyed permutation of the id (an 8-round Feistel network on 16-bit halves,
 * SipHash-2-4 round function), so they decode back to it; digits 8-31 are a keyed
 * pseudo-random function of the id (SipHash-2-4), which checks a decoded id with the rest of
 * the text. Because both are keyed, the codewords of different accounts behave like
 * independent uniform draws, which makes the attribution test exact for innocent accounts
 * whatever the guilty ones did (docs/ATTRIBUTION.md). With 32 digits, a random codeword
 * mixes the digits of c colluders with probability (c/16)^32 only.
 *
 * @example
 * ```ts
 * const code = new AccountCode(key);
 * code.accountOf(code.digitsOf(1234)); // 1234
 * ```
 */
export class AccountCode {
  readonly #roundKey: SipKey;
  readonly #tailKey: SipKey;
  readonly #words = new Uint32Array(2);
  readonly #out = new Uint32Array(2);

  constructor(key: WatermarkKey) {
    this.#roundKey = sipKey(subkeyOf(key, 'account-code/kgw'));
    this.#tailKey = sipKey(subkeyOf(key, 'account-check/kgw'));
  }

  /** The 32 digits (0..15) of the codeword of `account`. */
  digitsOf(account: number, digits = new Uint8Array(CODEWORD_DIGITS)): Uint8Array {
    let left = checkAccountId(account) >>> 16;
    let right = account & 0xffff;
    for (let r = 0; r < FEISTEL_ROUNDS; r++) [left, right] = [right, left ^ this.round(r, right)];
    splitWord(((left << 16) | right) >>> 0, digits, 0);
    return this.checkDigits(account, digits);
  }

  /** The account whose codeword starts with these 8 digits (every prefix belongs to one account). */
  accountOf(digits: ArrayLike<number>): number {
    const word = joinWord(digits, 0);
    let left = word >>> 16;
    let right = word & 0xffff;
    for (let r = FEISTEL_ROUNDS - 1; r >= 0; r--) [left, right] = [right ^ this.round(r, left), left];
    return ((left << 16) | right) >>> 0;
  }

  /** Writes digits 8..31 (the keyed check digits of `account`) into `digits`. */
  checkDigits(account: number, digits: Uint8Array): Uint8Array {
    for (let block = 0; block < 2; block++) {
      this.#words[0] = block;
      this.#words[1] = account;
      sipHashWords(this.#tailKey, this.#words, 0, 2, this.#out);
      splitWord(this.#out[0]!, digits, ID_DIGITS + 16 * block);
      if (block === 0) splitWord(this.#out[1]!, digits, ID_DIGITS + 8);
    }
    return digits;
  }

  // F_r(half) = low 16 bits of SipHash-2-4(roundKey, [r, half]).
  private round(r: number, half: number): number {
    this.#words[0] = r;
    this.#words[1] = half;
    sipHashWords(this.#roundKey, this.#words, 0, 2, this.#out);
    return this.#out[0]! & 0xffff;
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
    throw new RadiomarkError(
      'INVALID_ARGUMENT',
      `${what} must be an integer from 0 to ${MAX_ACCOUNT_ID} (got ${String(account).slice(0, 40)})`,
    );
  }
  return account;
}

// Digits from..from+7 are the nibbles of one block word, most significant first.
function splitWord(word: number, digits: Uint8Array, from: number): void {
  for (let i = 0; i < 8; i++) digits[from + i] = (word >>> (28 - 4 * i)) & 15;
}

function joinWord(digits: ArrayLike<number>, from: number): number {
  let w = 0;
  for (let i = 0; i < 8; i++) w = ((w << 4) | (digits[from + i]! & 15)) >>> 0;
  return w;
}
