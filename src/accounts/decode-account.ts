import { checkAlpha } from '../detect/detection-result.js';
import { RadiomarkError } from '../errors.js';
import { bonferroniLog10, log10BinomialTail } from '../stats/index.js';
import { AccountCode, DIGIT_VALUES, MAX_ACCOUNT_ID } from './account-code.js';
import type { AccountTally } from './account-tally.js';
import { bestCodewords } from './list-decoder.js';

/** Codewords tried by the list decoder before it gives up. */
export const DEFAULT_DECODE_BUDGET = 4096;

/** H0 of account decoding, in words. */
export const DECODE_NULL_HYPOTHESIS =
  'H0: the text carries no account id of this key (its tokens are independent of the key); ' +
  'the p-value is corrected for all 2^32 possible account ids (Bonferroni).';

/** Options of account decoding. */
export interface DecodeAccountOptions {
  /** Significance level of the verdict. Default 1e-6. */
  alpha?: number;
  /** Codewords the list decoder may try (best first). Default 4096. */
  budget?: number;
}

/** What decoding an account id from a text found. */
export interface AccountDecoding {
  /** The decoded account id, or `null` when no codeword within the budget passed the check bits. */
  account: number | null;
  /** log10 p-value of the decoded id, corrected for 2^32 ids; 0 when nothing was decoded. */
  log10PValue: number;
  /** Uncorrected log10 P(Binomial(tuples, 1/16) >= score). */
  rawLog10PValue: number;
  /** True iff an id was decoded and `log10PValue <= log10(alpha)`. */
  significant: boolean;
  alpha: number;
  /** Tuples in the digit sets of the decoded codeword (0 when none). */
  score: number;
  /** Tuples scored (de-duplicated, prompt windows excluded). */
  tuples: number;
  /** Expected score of any fixed id under H0: tuples / 16. */
  expected: number;
  /** Codewords tried; 1 means the per-position majority was already valid. */
  tried: number;
  nullHypothesis: string;
}

/**
 * Decodes the account id carried by a tallied text: codewords are tried best first (per
 * position majority, then the next best alternatives) until one passes the 32 check bits.
 * A wrong codeword passes with probability 2^-32 per try, so a budget of 4096 tries keeps
 * the chance of a wrong id below 1e-6 even when the right one is out of reach.
 *
 * @example
 * ```ts
 * const found = decodeAccountFromTally(tally, new AccountCode(key));
 * if (found.significant) console.log(found.account, found.log10PValue);
 * ```
 */
export function decodeAccountFromTally(tally: AccountTally, code: AccountCode, options: DecodeAccountOptions = {}): AccountDecoding {
  const alpha = checkAlpha(options.alpha ?? 1e-6);
  const budget = checkBudget(options.budget ?? DEFAULT_DECODE_BUDGET);
  const base = { alpha, tuples: tally.tuples, expected: tally.tuples / DIGIT_VALUES, nullHypothesis: DECODE_NULL_HYPOTHESIS };
  let tried = 0;
  if (tally.tuples > 0) {
    for (const digits of bestCodewords(tally.rows(), budget)) {
      tried++;
      const account = code.accountOf(digits);
      if (account === undefined) continue;
      const score = tally.scoreOf(digits);
      const raw = log10BinomialTail(score, tally.tuples, 1 / DIGIT_VALUES);
      const log10PValue = bonferroniLog10(raw, MAX_ACCOUNT_ID + 1);
      return { ...base, account, log10PValue, rawLog10PValue: raw, significant: log10PValue <= Math.log10(alpha), score, tried };
    }
  }
  return { ...base, account: null, log10PValue: 0, rawLog10PValue: 0, significant: false, score: 0, tried };
}

function checkBudget(budget: number): number {
  if (!Number.isInteger(budget) || budget < 1 || budget > 1e7) {
    throw new RadiomarkError('INVALID_ARGUMENT', `budget must be an integer from 1 to 10000000 (got ${String(budget)})`);
  }
  return budget;
}
