import type { TupleScoring } from '../schemes/tuple-scoring.js';
import type { Dedup, TokenStatus } from './score-tape.js';

/**
 * Fewer scored tuples than this trigger a low-power warning.
 *
 * @example
 * ```ts
 * if (result.scored < MIN_RELIABLE_SCORED) console.warn(result.warnings[0]);
 * ```
 */
export const MIN_RELIABLE_SCORED = 25;

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
  /** Green tuples among the scored ones (gumbel, synthid: tuples whose PRF value favoured them; display only). */
  green: number;
  /** The test statistic: the green count (kgw), the sum of -ln(1 - r) (gumbel), the g-value ones (synthid). */
  score: number;
  /** KGW: exact null probability of green (threshold / 2^32); gumbel, synthid: 0.5 (the share of favourable tuples under H0). */
  gamma: number;
  /** Standardised score, for display only: never used for the verdict. */
  z: number;
  /** Exact P[statistic >= score] under H0 (binomial for kgw and synthid, Gamma for gumbel). */
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

export { checkAlpha } from '../stats/validate.js';

/** Builds the result of the scheme's exact one-sided test of `score` over `scored` tuples. */
export function detectionResult(args: {
  scoring: TupleScoring;
  keyId: string;
  tokens: number;
  scored: number;
  green: number;
  score: number;
  alpha: number;
  dedup: Dedup;
}): DetectionResult {
  const { scoring, keyId, tokens, scored, green, score, alpha, dedup } = args;
  const log10PValue = scoring.log10PValue(score, scored);
  const warnings: string[] = [];
  if (scored < MIN_RELIABLE_SCORED) {
    warnings.push(`only ${scored} tuples scored (fewer than ${MIN_RELIABLE_SCORED}): the p-value is exact but the test has little power`);
  }
  if (dedup === 'none') {
    warnings.push('de-duplication is off: repeated text inflates the score and the p-value is not exact');
  }
  return {
    scheme: scoring.scheme,
    keyId,
    tokens,
    scored,
    green,
    score,
    gamma: scoring.gamma,
    z: scoring.z(score, scored),
    pValue: 10 ** log10PValue,
    log10PValue,
    alpha,
    watermarked: log10PValue <= Math.log10(alpha),
    dedup,
    exact: dedup !== 'none',
    nullHypothesis: scoring.nullHypothesis,
    warnings,
  };
}
