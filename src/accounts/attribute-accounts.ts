import { checkAlpha } from '../detect/detection-result.js';
import { RadiomarkError } from '../errors.js';
import { holmLog10 } from '../stats/index.js';
import { checkAccountId, CODEWORD_DIGITS, type AccountCode } from './account-code.js';
import type { AccountTally } from './account-tally.js';
import { CodewordNull } from './codeword-null.js';

/** H0 of each per-account test, in words. */
export const ACCOUNT_NULL_HYPOTHESIS =
  "H0(a): account a's outputs are not behind the tokens tested, so a's keyed codeword is independent of them; " +
  'the p-value is exact conditionally on the tally, whatever any other account contributed.';

/** Largest candidate list accepted. */
export const MAX_CANDIDATES = 10_000_000;

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
  /** Tuples in the digit sets of the account's codeword. */
  score: number;
  /** Exact conditional log10 p-value: log10 P(a random codeword scores >= score | tally). */
  log10PValue: number;
  /** Holm-adjusted over all candidates. */
  adjustedLog10PValue: number;
  /** True iff the adjusted p-value is <= alpha. */
  significant: boolean;
}

/** Per-account report: the best-ranked and every significant account. */
export interface AttributionReport {
  nullHypothesis: string;
  correction: 'holm';
  alpha: number;
  /** Candidates tested (the family size of the correction). */
  candidates: number;
  /** Tuples in the tally. */
  tuples: number;
  /** Mean score of a random codeword (what an uninvolved account scores on average). */
  expectedScore: number;
  /** Number of significant accounts. */
  significant: number;
  /** Significant accounts and the `top` best-ranked ones, most significant first. */
  accounts: AccountTestResult[];
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
  const alpha = checkAlpha(options.alpha ?? 1e-6);
  const top = options.top ?? 10;
  if (!Number.isInteger(top) || top < 0) throw new RadiomarkError('INVALID_ARGUMENT', `top must be an integer >= 0 (got ${String(top)})`);
  const ids = checkCandidates(candidates);
  const nullTail = new CodewordNull(tally.rows());
  const digits = new Uint8Array(CODEWORD_DIGITS);
  const scores = Array.from(ids, (id) => tally.scoreOf(code.digitsOf(id, digits)));
  const raw = scores.map((s) => nullTail.log10Tail(s));
  const adjusted = holmLog10(raw);
  const threshold = Math.log10(alpha);
  const order = raw.map((_, i) => i).sort((a, b) => raw[a]! - raw[b]! || ids[a]! - ids[b]!);
  const significant = adjusted.filter((p) => p <= threshold).length;
  const accounts = order.slice(0, Math.max(top, significant)).map((i) => ({
    account: ids[i]!,
    score: scores[i]!,
    log10PValue: raw[i]!,
    adjustedLog10PValue: adjusted[i]!,
    significant: adjusted[i]! <= threshold,
  }));
  return {
    nullHypothesis: ACCOUNT_NULL_HYPOTHESIS,
    correction: 'holm',
    alpha,
    candidates: ids.length,
    tuples: tally.tuples,
    expectedScore: nullTail.mean,
    significant,
    accounts,
  };
}

function checkCandidates(candidates: ArrayLike<number>): Uint32Array {
  if (candidates === null || typeof candidates !== 'object' || typeof candidates.length !== 'number') {
    throw new RadiomarkError('INVALID_ARGUMENT', 'candidates must be an array of account ids');
  }
  if (candidates.length === 0) throw new RadiomarkError('EMPTY_INPUT', 'no candidate accounts to test');
  if (candidates.length > MAX_CANDIDATES) {
    throw new RadiomarkError('INVALID_ARGUMENT', `at most ${MAX_CANDIDATES} candidates (got ${candidates.length})`);
  }
  const ids = new Uint32Array(candidates.length);
  for (let i = 0; i < ids.length; i++) ids[i] = checkAccountId(candidates[i], `candidates[${i}]`);
  const sorted = ids.slice().sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new RadiomarkError('INVALID_ARGUMENT', `candidate account ${sorted[i]} is listed twice`);
  }
  return ids;
}
