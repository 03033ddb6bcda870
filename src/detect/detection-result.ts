import { RadiomarkError } from '../errors.js';
import { binomialZ, log10BinomialTail } from '../stats/index.js';
import type { Dedup, TokenStatus } from './score-tape.js';

/** Fewer scored tuples than this trigger a low-power warning. */
export const MIN_RELIABLE_SCORED = 25;

/** The null hypothesis every KGW detection tests, in words. */
export const KGW_NULL_HYPOTHESIS =
  'H0: the text was written independently of the key, so each distinct scored (window, token) tuple is green with probability gamma, independently.';

/** One token of the input, with its character span and scoring status. */
export interface TokenDetail {
  /** Token id. */
  id: number;
  /** Start offset in the input text (UTF-16 code units), when the input was text. */
  start?: number;
  /** End offset (exclusive). */
  end?: number;
  status: TokenStatus;
}

/**
 * Result of a detection. `log10PValue` is authoritative; `pValue` is the same number as a
 * plain double (it underflows to 0 below 1e-308). `z` is for display only.
 */
export interface DetectionResult {
  scheme: string;
  /** Public id of the key tested. */
  keyId: string;
  /** Tokens read. */
  tokens: number;
  /** Tuples scored after de-duplication and prompt exclusion. */
  scored: number;
  /** Green tuples among the scored ones. */
  green: number;
  /** Exact null probability of green (threshold / 2^32). */
  gamma: number;
  /** (green - gamma*scored) / sqrt(scored*gamma*(1-gamma)); display only, not used for the verdict. */
  z: number;
  /** P[Binomial(scored, gamma) >= green]. */
  pValue: number;
  /** log10 of pValue, exact and finite. */
  log10PValue: number;
  /** Significance level of the verdict. */
  alpha: number;
  /** log10PValue <= log10(alpha). */
  watermarked: boolean;
  /** De-duplication used. */
  dedup: Dedup;
  /** True when the p-value is exact under H0 (false with dedup `none`). */
  exact: boolean;
  /** The null hypothesis tested. */
  nullHypothesis: string;
  /** Human-readable cautions (few tuples, no de-duplication, ...). */
  warnings: string[];
  /** Per-token details, when requested with `details: true`. */
  details?: TokenDetail[];
}

/** Validates a significance level. */
export function checkAlpha(alpha: number): number {
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) {
    throw new RadiomarkError('INVALID_ARGUMENT', `alpha must be a number in (0, 1) (got ${String(alpha)})`);
  }
  return alpha;
}

/** Builds the result of an exact one-sided binomial test of `green` out of `scored`. */
export function binomialResult(args: {
  scheme: string;
  keyId: string;
  tokens: number;
  scored: number;
  green: number;
  gamma: number;
  alpha: number;
  dedup: Dedup;
}): DetectionResult {
  const { scored, green, gamma, alpha, dedup } = args;
  const log10PValue = scored === 0 ? 0 : log10BinomialTail(green, scored, gamma);
  const warnings: string[] = [];
  if (scored < MIN_RELIABLE_SCORED) {
    warnings.push(
      `only ${scored} tuples scored (fewer than ${MIN_RELIABLE_SCORED}): the p-value is exact but the test has little power`,
    );
  }
  if (dedup === 'none') {
    warnings.push('de-duplication is off: repeated text inflates the score and the p-value is not exact');
  }
  return {
    ...args,
    z: scored === 0 ? 0 : binomialZ(green, scored, gamma),
    pValue: 10 ** log10PValue,
    log10PValue,
    watermarked: log10PValue <= Math.log10(alpha),
    exact: dedup !== 'none',
    nullHypothesis: KGW_NULL_HYPOTHESIS,
    warnings,
  };
}
