import { check } from '../base/errors.js';
import type { TupleScoring } from '../schemes/tuple-scoring.js';

/** The most significant span found by {@link scanWindows}. */
export interface SpanResult {
  /** First token index of the span (inclusive). */
  start: number;
  /** Token index past the span. */
  end: number;
  /** Tuples scored inside the span. */
  scored: number;
  /** The test statistic inside the span (KGW: green tuples). */
  score: number;
  /** Raw log10 p of the best span: NOT a p-value on its own (it was chosen as the minimum). */
  log10RawPValue: number;
  /** Number of spans tested (the size of the multiple-testing family). */
  windowsScanned: number;
  /** Bonferroni-corrected log10 p over every span scanned: a valid p-value. */
  log10PValue: number;
}

/**
 * Scans spans of scored tuples (lengths minScored, 2*minScored, 4*minScored, ... and the
 * whole text; stride a quarter of the length) for the most significant one, and corrects
 * its p-value for the number of spans scanned (Bonferroni), so that watermarked spans
 * embedded in human text can be found without inflating the false-positive rate.
 *
 * @example
 * ```ts
 * const best = scanWindows(scores, scoring, 32); // scores: NaN where a token was not scored
 * best.log10PValue; // corrected for best.windowsScanned spans
 * ```
 */
export function scanWindows(scores: Float64Array, scoring: TupleScoring, minScored = 32): SpanResult {
  check(Number.isInteger(minScored) && minScored >= 1, `minScored must be an integer >= 1 (got ${minScored})`);
  const positions: number[] = [];
  const prefix: number[] = [0];
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) continue;
    positions.push(i);
    prefix.push(prefix[prefix.length - 1]! + scores[i]!);
  }
  const n = positions.length;
  const sum = (from: number, to: number) => prefix[to]! - prefix[from]!;
  let best = { from: 0, to: n, log10: scoring.log10PValue(sum(0, n), n) };
  let scanned = 1;
  for (let length = minScored; length < n; length *= 2) {
    const stride = Math.max(1, length >> 2);
    for (let from = 0; from + length <= n; from += stride) {
      scanned++;
      const log10 = scoring.log10PValue(sum(from, from + length), length);
      if (log10 < best.log10) best = { from, to: from + length, log10 };
    }
  }
  return {
    start: n === 0 ? 0 : positions[best.from]!,
    end: n === 0 ? scores.length : positions[best.to - 1]! + 1,
    scored: best.to - best.from,
    score: sum(best.from, best.to),
    log10RawPValue: best.log10,
    windowsScanned: scanned,
    log10PValue: Math.min(0, best.log10 + Math.log10(scanned)),
  };
}
