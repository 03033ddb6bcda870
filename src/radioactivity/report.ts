import { RadiomarkError } from '../base/errors.js';
import { holmLog10, ksUniformTest } from '../stats/index.js';

/** H0 of every radioactivity test, in words. */
export const RADIOACTIVITY_NULL_HYPOTHESIS =
  "H0: the suspect's tokens are independent of key K (the suspect was not trained on text watermarked with K).";

/** Result of one statistic under one key. */
export interface KeyTestResult {
  /** Public id of the key. */
  keyId: string;
  /** Positions (closed: tuples; open: windows) scored after de-duplication, exclusion and filtering. */
  scored: number;
  /** The statistic: green count (kgw), sum of -ln(1 - r) (gumbel), g-value ones (synthid), or green probability mass (soft statistic). */
  green: number;
  /** Expected `green` under H0 (gamma * scored, or gamma * scored mass for the soft statistic). */
  expected: number;
  /** Raw log10 p-value (exact binomial, or a proven upper bound for the soft statistic). */
  log10PValue: number;
  /** Holm-adjusted log10 p-value over the tested (real) keys; equal to the raw value for one key. */
  adjustedLog10PValue: number;
  /** Standardised score (display only; controls use it for a calibration check). */
  z: number;
  /**
   * Closed mode: raw log10 betting-mixture p-value of the same count (proven valid even when
   * which tuples are scored depends on earlier colours, as with a filter).
   */
  bettingLog10PValue?: number;
}

/** The proven p-value reported beside the exact one (closed mode). */
export interface ProvenPValue {
  /** Test-martingale (betting) mixture over the scored tuples (docs/RADIOACTIVITY.md, "Proven p-values"). */
  statistic: 'betting-mixture';
  /** Smallest Holm-adjusted betting log10 p-value over the tested keys. */
  log10PValue: number;
}

/** What the wrong-key controls show. */
export interface ControlSummary {
  /** Number of wrong keys. */
  count: number;
  /** Their raw log10 p-values. */
  log10PValues: number[];
  /** How many reached alpha (expected about alpha * count). */
  rejected: number;
  /**
   * KS test of uniformity of the values named by `ksOf`: randomized binomial p-values
   * P[X > k] + U P[X = k] (exactly uniform under H0) for binomial statistics; normal
   * approximations of the z-scores for the soft statistic (its p-value is a conservative
   * bound, so its raw values are not uniform by design).
   */
  ks: {
    statistic: number;
    /** NaN when the test was skipped (see `skipped`). */
    pValue: number;
    ksOf: 'randomized-binomial' | 'normal-approximation' | 'continuous';
    /** Why no KS test was run (every control scored nothing, so their values say nothing). */
    skipped?: string;
  };
}

/** The full report of a radioactivity test. */
export interface RadioactivityReport {
  mode: 'closed' | 'open';
  /**
   * `binomial` (closed, kgw: green count), `gamma` (closed, gumbel: sum of -ln(1 - r), Gamma tail), `g-values`
   * (closed, synthid: ones among the g-value bits, binomial), `green-mass` (open, soft, the verdict) or `argmax` (open).
   */
  statistic: 'binomial' | 'gamma' | 'g-values' | 'green-mass' | 'argmax';
  nullHypothesis: string;
  /** Tokens read from the suspect's outputs (closed) or the watermarked texts (open). */
  tokens: number;
  /** Scored by the first tested key (see `keys` for each). */
  scored: number;
  green: number;
  gamma: number;
  /** Smallest Holm-adjusted log10 p-value over the tested keys: the verdict's number. */
  log10PValue: number;
  alpha: number;
  /** The verdict: log10PValue <= log10(alpha), or proven.log10PValue <= log10(alpha) when `verdictBasis` is `proven`. */
  radioactive: boolean;
  /**
   * `exact`: the verdict uses `log10PValue`, exact under H0; `proven`: it uses
   * `proven.log10PValue`, because the exact tail has no proof here (closed mode with a filter).
   */
  verdictBasis: 'exact' | 'proven';
  /** Closed mode: the betting-mixture p-value beside the exact one. */
  proven?: ProvenPValue;
  keys: KeyTestResult[];
  controls?: ControlSummary;
  /** Cautions and statements of the rules applied. */
  notes: string[];
}

/**
 * Applies Holm's correction over the family of tested keys, in place, and returns the
 * smallest adjusted log10 p-value.
 *
 * @example
 * ```ts
 * const best = adjustFamily(results); // results[i].adjustedLog10PValue filled in
 * ```
 */
export function adjustFamily(results: KeyTestResult[]): number {
  const adjusted = holmLog10(results.map((r) => r.log10PValue));
  results.forEach((r, i) => (r.adjustedLog10PValue = adjusted[i]!));
  return Math.min(0, ...adjusted);
}

/**
 * Summarises control p-values; `uniforms` are the values to KS-test (see {@link ControlSummary}).
 *
 * @example
 * ```ts
 * summarizeControls([-0.2, -1.3], [0.6, 0.05], 0.01, 'randomized-binomial');
 * ```
 */
export function summarizeControls(
  log10PValues: number[],
  uniforms: number[],
  alpha: number,
  ksOf: ControlSummary['ks']['ksOf'],
): ControlSummary | undefined {
  if (log10PValues.length === 0) return undefined;
  if (new Set(uniforms).size <= 1) {
    // Identical values (nothing was scored): a KS test would "reject" meaninglessly.
    const ks = { statistic: NaN, pValue: NaN, ksOf, skipped: 'all controls gave the same value (nothing scored)' };
    return { count: log10PValues.length, log10PValues, rejected: log10PValues.filter((p) => p <= Math.log10(alpha)).length, ks };
  }
  const ks = ksUniformTest(uniforms);
  return {
    count: log10PValues.length,
    log10PValues,
    rejected: log10PValues.filter((p) => p <= Math.log10(alpha)).length,
    ks: { statistic: ks.statistic, pValue: ks.pValue, ksOf },
  };
}

/** What {@link buildReport} needs: the tested keys' raw results, the controls', and the rules applied. */
export interface ReportParts {
  mode: RadioactivityReport['mode'];
  statistic: RadioactivityReport['statistic'];
  tokens: number;
  gamma: number;
  alpha: number;
  /** One result per tested key (first = the key whose counts the report shows); adjusted in place. */
  tested: KeyTestResult[];
  /** The controls' raw log10 p-values, the values to KS-test, and what those are. */
  controls: { log10PValues: number[]; uniforms: number[]; ksOf: ControlSummary['ks']['ksOf'] };
  notes: string[];
  /** Base the verdict on the proven (betting) p-value; needs `bettingLog10PValue` on every tested key. */
  verdictOnProven?: boolean;
}

/**
 * The one report builder of every radioactivity test: Holm over the tested keys, the
 * verdict at alpha, and the controls' summary.
 *
 * @example
 * ```ts
 * const report = buildReport({ mode: 'closed', statistic: 'binomial', tokens, gamma, alpha, tested, controls, notes });
 * report.radioactive;
 * ```
 */
export function buildReport(parts: ReportParts): RadioactivityReport {
  const { tested, controls, alpha } = parts;
  const first = tested[0];
  if (!first) throw new RadiomarkError('INVALID_ARGUMENT', 'a radioactivity report needs at least one tested key');
  const best = adjustFamily(tested);
  const proven = provenPValue(tested);
  const onProven = parts.verdictOnProven === true && proven !== undefined;
  return {
    mode: parts.mode,
    statistic: parts.statistic,
    nullHypothesis: RADIOACTIVITY_NULL_HYPOTHESIS,
    tokens: parts.tokens,
    scored: first.scored,
    green: first.green,
    gamma: parts.gamma,
    log10PValue: best,
    alpha,
    radioactive: (onProven ? proven.log10PValue : best) <= Math.log10(alpha),
    verdictBasis: onProven ? 'proven' : 'exact',
    proven,
    keys: tested,
    controls: summarizeControls(controls.log10PValues, controls.uniforms, alpha, controls.ksOf),
    notes: parts.notes,
  };
}

/**
 * Holm over the tested keys' betting p-values: the proven p-value of the family, or undefined
 * when the keys carry none.
 *
 * @example
 * ```ts
 * provenPValue(report.keys)?.log10PValue;
 * ```
 */
export function provenPValue(tested: readonly KeyTestResult[]): ProvenPValue | undefined {
  const betting = tested.map((t) => t.bettingLog10PValue);
  if (betting.some((b) => b === undefined)) return undefined;
  return { statistic: 'betting-mixture', log10PValue: Math.min(0, ...holmLog10(betting as number[])) };
}
