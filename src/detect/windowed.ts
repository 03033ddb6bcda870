import { check } from '../errors.js';
import { log10BinomialTail } from '../stats/index.js';
import { STATUS } from './score-tape.js';

/** The most significant span found by {@link scanWindows}. */
export interface SpanResult {
  /** First token index of the span (inclusive). */
  start: number;
  /** Token index past the span. */
  end: number;
  /** Tuples scored inside the span. */
  scored: number;
  /** Green tuples inside the span. */
  green: number;
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
 * const best = scanWindows(statuses, 0.25, 32);
 * best.log10PValue; // corrected for best.windowsScanned spans
 * ```
 */
export function scanWindows(statuses: Uint8Array, gamma: number, minScored = 32): SpanResult {
  check(Number.isInteger(minScored) && minScored >= 1, `minScored must be an integer >= 1 (got ${minScored})`);
  const positions: number[] = [];
  const greenPrefix: number[] = [0];
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i];
    if (s !== STATUS.green && s !== STATUS.red) continue;
    positions.push(i);
    greenPrefix.push(greenPrefix[greenPrefix.length - 1]! + (s === STATUS.green ? 1 : 0));
  }
  const n = positions.length;
  let best = { from: 0, to: n, log10: n === 0 ? 0 : log10BinomialTail(greenPrefix[n]!, n, gamma) };
  let scanned = 1;
  for (let length = minScored; length < n; length *= 2) {
    const stride = Math.max(1, length >> 2);
    for (let from = 0; from + length <= n; from += stride) {
      scanned++;
      const green = greenPrefix[from + length]! - greenPrefix[from]!;
      const log10 = log10BinomialTail(green, length, gamma);
      if (log10 < best.log10) best = { from, to: from + length, log10 };
    }
  }
  const scored = best.to - best.from;
  return {
    start: n === 0 ? 0 : positions[best.from]!,
    end: n === 0 ? statuses.length : positions[best.to - 1]! + 1,
    scored,
    green: greenPrefix[best.to]! - greenPrefix[best.from]!,
    log10RawPValue: best.log10,
    windowsScanned: scanned,
    log10PValue: Math.min(0, best.log10 + Math.log10(scanned)),
  };
}
