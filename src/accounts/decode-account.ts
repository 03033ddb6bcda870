import { checkAlpha, DEFAULT_ALPHA } from '../stats/validate.js';
import { RadiomarkError } from '../base/errors.js';
import { bonferroniLog10, log10BinomialTail } from '../stats/index.js';
import { CODEWORD_DIGITS, ID_DIGITS, MAX_ACCOUNT_ID, type AccountCode } from './account-code.js';
import { DIGIT_SET_FRACTION } from './account-marks.js';
import type { AccountTally } from './account-tally.js';
import { CodewordNull } from './codeword-null.js';
import { bestCodewords } from './list-decoder.js';

/**
 * Id prefixes the list decoder may try before it stops.
 *
 * @example
 * ```ts
 * wm.decodeAccount(text, { budget: 4 * DEFAULT_DECODE_BUDGET }); // search longer on short texts
 * ```
 */
export const DEFAULT_DECODE_BUDGET = 65_536;

/**
 * The two null hypotheses behind a decoded id, in words.
 *
 * @example
 * ```ts
 * wm.decodeAccount(text).nullHypothesis === DECODE_NULL_HYPOTHESIS; // true
 * ```
 */
export const DECODE_NULL_HYPOTHESIS =
  'H0: the text carries no account id of this key (p-value corrected for all 2^32 ids), and ' +
  "H0': the text does not come from the decoded account (its 24 check digits are independent of the text; " +
  'corrected for the ids tried, weighted so that stopping early keeps it valid); the reported p-value is the larger of the two.';

/** Options of account decoding. */
export interface DecodeAccountOptions {
  /** Significance level of the verdict. Default 1e-6. */
  alpha?: number;
  /** Id prefixes the decoder may try, best first. Default 65,536. */
  budget?: number;
}

/** What decoding an account id from a text found. */
export interface AccountDecoding {
  /** The decoded account id when significant, else `null` (see `candidate`). */
  account: number | null;
  /** The best-scoring id found, significant or not: never act on it unless `significant`. */
  candidate: number | null;
  /** log10 of the larger of the two corrected p-values (H0 and H0'); 0 when nothing was tallied. */
  log10PValue: number;
  /** log10 p-value of H0 (no id of this key at all), corrected for 2^32 ids. */
  log10PValueAnyId: number;
  /** log10 p-value of H0' (not this id), from the 24 check digits, corrected for the ids tried (x tried x H(budget)). */
  log10PValueThisId: number;
  /** True iff `log10PValue <= log10(alpha)`. */
  significant: boolean;
  alpha: number;
  /** Tuples in the digit sets of the candidate's codeword. */
  score: number;
  /** Tuples scored (de-duplicated, prompt windows excluded). */
  tuples: number;
  /** Expected score of any fixed id under H0: tuples x DIGIT_SET_FRACTION. */
  expected: number;
  /** Id prefixes tried. */
  tried: number;
  /**
   * True when the search proved that no id scores higher than the candidate (it is the
   * maximum-likelihood id among all 2^32); false when it stopped at the budget.
   */
  certified: boolean;
  nullHypothesis: string;
}

/**
 * Decodes the account id carried by a tallied text. Id prefixes (codeword digits 0-7) are
 * tried best first; each one names exactly one account, whose 24 check digits are then
 * scored against the rest of the text. The search stops once no untried prefix could beat
 * the best full score (then the answer is the maximum-likelihood id) or at the budget.
 *
 * @example
 * ```ts
 * const found = decodeAccountFromTally(tally, new AccountCode(key));
 * if (found.significant) console.log(found.account, found.log10PValue);
 * ```
 */
export function decodeAccountFromTally(tally: AccountTally, code: AccountCode, options: DecodeAccountOptions = {}): AccountDecoding {
  const alpha = checkAlpha(options.alpha ?? DEFAULT_ALPHA);
  const budget = checkBudget(options.budget ?? DEFAULT_DECODE_BUDGET);
  const rows = tally.rows();
  const idRows = rows.slice(0, ID_DIGITS);
  const checkRows = rows.slice(ID_DIGITS);
  const bestCheck = checkRows.reduce((sum, row) => sum + Math.max(...row), 0);
  const digits = new Uint8Array(CODEWORD_DIGITS);
  let best = { account: -1, score: -1, check: 0 };
  let tried = 0;
  let certified = false;
  if (tally.tuples > 0) {
    for (const prefix of bestCodewords(idRows, budget)) {
      const prefixScore = prefix.reduce((sum, d, p) => sum + idRows[p]![d]!, 0);
      if (best.score >= prefixScore + bestCheck) {
        certified = true;
        break;
      }
      tried++;
      const account = code.accountOf(prefix);
      digits.set(prefix);
      const score = tally.scoreOf(code.checkDigits(account, digits));
      if (score > best.score) best = { account, score, check: score - prefixScore };
    }
  }
  return decodingResult(tally, best, { tried, certified, budget }, alpha, checkRows);
}

function decodingResult(
  tally: AccountTally,
  best: { account: number; score: number; check: number },
  search: { tried: number; certified: boolean; budget: number },
  alpha: number,
  checkRows: number[][],
): AccountDecoding {
  const { tried, certified, budget } = search;
  const found = tried > 0;
  const anyId = found ? bonferroniLog10(log10BinomialTail(best.score, tally.tuples, DIGIT_SET_FRACTION), MAX_ACCOUNT_ID + 1) : 0;
  const thisId = found ? thisIdLog10P(new CodewordNull(checkRows).log10Tail(best.check), tried, budget) : 0;
  const log10PValue = Math.max(anyId, thisId);
  const significant = found && log10PValue <= Math.log10(alpha);
  return {
    account: significant ? best.account : null,
    candidate: found ? best.account : null,
    log10PValue,
    log10PValueAnyId: anyId,
    log10PValueThisId: thisId,
    significant,
    alpha,
    score: Math.max(0, best.score),
    tuples: tally.tuples,
    expected: tally.tuples * DIGIT_SET_FRACTION,
    tried,
    certified,
    nullHypothesis: DECODE_NULL_HYPOTHESIS,
  };
}

/**
 * H0' for the returned id, the best of the `tried` ids enumerated so far. The enumeration
 * order depends only on rows 0-7, so the i-th id's check tail is a valid p-value if that id is
 * wrong; but how far the search went depends on the check scores (it stops early on a high
 * one). Weighting the i-th id by i * H(budget) keeps the union bound valid whatever the
 * stopping point: sum over i of alpha / (i H(budget)) = alpha.
 */
function thisIdLog10P(checkTail: number, tried: number, budget: number): number {
  return Math.min(0, checkTail + Math.log10(tried) + Math.log10(harmonic(budget)));
}

function harmonic(n: number): number {
  // H(n) = ln n + gamma + 1/(2n) - 1/(12 n^2) + ..., an upper bound to 1e-12 for n >= 1 once the terms after 1/(2n) are dropped.
  return n < 100
    ? Array.from({ length: n }, (_, i) => 1 / (i + 1)).reduce((a, b) => a + b, 0)
    : Math.log(n) + 0.5772156649015329 + 1 / (2 * n);
}

function checkBudget(budget: number): number {
  if (!Number.isInteger(budget) || budget < 1 || budget > 1e6) {
    throw new RadiomarkError('INVALID_ARGUMENT', `budget must be an integer from 1 to 1000000 (got ${String(budget)})`);
  }
  return budget;
}
