import { checkAlpha, DEFAULT_ALPHA } from '../stats/validate.js';
import { binomialSumBettingLog10P } from '../stats/betting-martingale.js';
import { RadiomarkError } from '../base/errors.js';
import { holmLog10, log10BinomialSumTail } from '../stats/index.js';
import { CODEWORD_DIGITS, type AccountCode } from './account-code.js';
import { checkCandidates } from './candidates.js';
import { DIGIT_SET_FRACTION } from './account-marks.js';
import type { AccountTally } from './account-tally.js';
import { CodewordNull } from './codeword-null.js';
import type { OwnerCounts } from './owner-counts.js';

/**
 * H0 of each per-account test of the `tally` method, in words.
 *
 * @example
 * ```ts
 * wm.attributeAccounts(text, ids).nullHypothesis === ACCOUNT_NULL_HYPOTHESIS; // true
 * ```
 */
export const ACCOUNT_NULL_HYPOTHESIS =
  "H0(a): account a's outputs are not behind the tokens tested, so a's keyed codeword is independent of them; " +
  'the p-value is exact conditionally on the tally, whatever any other account contributed.';

/**
 * H0 of each per-account test of the `ledger` method, in words.
 *
 * @example
 * ```ts
 * new ClosedModeTest([key], { owners }).attributeAccounts(ids).nullHypothesis === LEDGER_ACCOUNT_NULL_HYPOTHESIS; // after reading
 * ```
 */
export const LEDGER_ACCOUNT_NULL_HYPOTHESIS =
  "H0(a): the suspect was not trained on account a's outputs, so at windows that only a received (per the " +
  'account ledger) its tokens are independent of the key: each is green with probability gamma and in the set ' +
  "of a's digit with probability 1/4, independently.";

/**
 * How accounts are tested. `tally`: the account's codeword score against the exact
 * distribution of a random codeword's (needs nothing but the key). `ledger`: green and
 * digit-set hits at the windows only that account received (needs an account ledger of
 * every output; far more powerful, see docs/ATTRIBUTION.md).
 */
export type AttributionMethod = 'tally' | 'ledger';

/** Options of per-account tests. */
export interface AttributeOptions {
  /** Family-wise significance level (Holm over the candidates). Default 1e-6. */
  alpha?: number;
  /** How many of the best-ranked accounts to report besides every significant one. Default 10. */
  top?: number;
}

/** One candidate account's test. */
export interface AccountTestResult {
  account: number;
  /** The statistic: codeword score (tally), or green plus digit-set hits (ledger). */
  score: number;
  /** Ledger method: suspect tuples at windows exclusive to the account (null for the tally method). */
  scored: number | null;
  /** Mean of `score` under H0. */
  expected: number;
  /**
   * Raw log10 p-value, the one the verdict uses: tally method, the exact tail of the statistic
   * under its H0; ledger method, the betting-mixture p-value (proven valid although which
   * windows are an account's can depend on earlier colours; docs/ATTRIBUTION.md).
   */
  log10PValue: number;
  /** Ledger method: the exact binomial-sum tail of the same score, reported beside (no proof there). */
  exactLog10PValue?: number;
  /** Holm-adjusted over all candidates. */
  adjustedLog10PValue: number;
  /** True iff the adjusted p-value is <= alpha. */
  significant: boolean;
}

/** Per-account report: the best-ranked and every significant account. */
export interface AttributionReport {
  method: AttributionMethod;
  nullHypothesis: string;
  correction: 'holm';
  alpha: number;
  /** Candidates tested (the family size of the correction). */
  candidates: number;
  /** Tuples behind the tests (the whole tally, or all tuples credited to some account). */
  tuples: number;
  /** Tally method: mean score of a random codeword (what an uninvolved account scores on average); null for the ledger method. */
  expectedScore: number | null;
  /** Number of significant accounts. */
  significant: number;
  /** Significant accounts and the `top` best-ranked ones, most significant first. */
  accounts: AccountTestResult[];
}

interface Scored {
  exactLog10PValue?: number;
  score: number;
  scored: number | null;
  expected: number;
  log10PValue: number;
}

/**
 * Tests each candidate account against a tally (one text, or a suspect's pooled outputs).
 * The cost per candidate is one codeword computation and one table lookup, so a million
 * candidates take about a second whatever the amount of text behind the tally.
 *
 * @example
 * ```ts
 * const report = attributeFromTally(tally, new AccountCode(key), [1001, 1002, 1003]);
 * report.accounts[0]; // { account: 1002, adjustedLog10PValue: -14.2, significant: true, ... }
 * ```
 */
export function attributeFromTally(
  tally: AccountTally,
  code: AccountCode,
  candidates: ArrayLike<number>,
  options: AttributeOptions = {},
): AttributionReport {
  const ids = checkCandidates(candidates);
  const nullTail = new CodewordNull(tally.rows());
  const digits = new Uint8Array(CODEWORD_DIGITS);
  const tests = Array.from(ids, (id): Scored => {
    const score = tally.scoreOf(code.digitsOf(id, digits));
    return { score, scored: null, expected: nullTail.mean, log10PValue: nullTail.log10Tail(score) };
  });
  return report('tally', ACCOUNT_NULL_HYPOTHESIS, ids, tests, { tuples: tally.tuples, expectedScore: nullTail.mean }, options);
}

/**
 * Tests each candidate account on the suspect tuples at windows only that account received
 * (the ledger method): green and digit-set hits pooled, exact tail of the sum of two
 * independent binomials.
 *
 * @example
 * ```ts
 * const report = attributeFromOwners(counts, key.params.gamma, candidates);
 * ```
 */
export function attributeFromOwners(
  counts: OwnerCounts,
  gamma: number,
  candidates: ArrayLike<number>,
  options: AttributeOptions = {},
): AttributionReport {
  const ids = checkCandidates(candidates);
  let tuples = 0;
  const tests = Array.from(ids, (id): Scored => {
    const c = counts.get(id);
    tuples += c.scored;
    const score = c.green + c.hits;
    const exactLog10PValue = c.scored === 0 ? 0 : log10BinomialSumTail(score, c.scored, gamma, c.scored, DIGIT_SET_FRACTION);
    const log10PValue = binomialSumBettingLog10P(score, c.scored, gamma, DIGIT_SET_FRACTION);
    return { score, scored: c.scored, expected: c.scored * (gamma + DIGIT_SET_FRACTION), log10PValue, exactLog10PValue };
  });
  return report('ledger', LEDGER_ACCOUNT_NULL_HYPOTHESIS, ids, tests, { tuples, expectedScore: null }, options);
}

function report(
  method: AttributionMethod,
  nullHypothesis: string,
  ids: Uint32Array,
  tests: Scored[],
  totals: { tuples: number; expectedScore: number | null },
  options: AttributeOptions,
): AttributionReport {
  const alpha = checkAlpha(options.alpha ?? DEFAULT_ALPHA);
  const top = options.top ?? 10;
  if (!Number.isInteger(top) || top < 0) throw new RadiomarkError('INVALID_ARGUMENT', `top must be an integer >= 0 (got ${String(top)})`);
  const raw = tests.map((t) => t.log10PValue);
  const adjusted = holmLog10(raw);
  const threshold = Math.log10(alpha);
  const order = raw.map((_, i) => i).sort((a, b) => raw[a]! - raw[b]! || ids[a]! - ids[b]!);
  const significant = adjusted.filter((p) => p <= threshold).length;
  const accounts = order.slice(0, Math.max(top, significant)).map((i) => ({
    account: ids[i]!,
    ...tests[i]!,
    adjustedLog10PValue: adjusted[i]!,
    significant: adjusted[i]! <= threshold,
  }));
  return { method, nullHypothesis, correction: 'holm', alpha, candidates: ids.length, ...totals, significant, accounts };
}
