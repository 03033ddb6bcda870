import { lnBinomialPmf } from './binomial-pmf.js';
import { lnBinomialTail, log10BinomialTail } from './binomial-tail.js';
import { checkInteger, checkOpenProbability } from './validate.js';
import { check } from '../base/errors.js';

/** Terms this far (in ln) below the largest are bounded instead of summed: e^-100 = 4e-44. */
const LN_CUTOFF = 100;

/**
 * log10 P[X + Y >= s] for independent X ~ Binomial(n1, p1) and Y ~ Binomial(n2, p2): the
 * tail of two independent counts pooled into one score. With p1 = p2 this is one binomial
 * tail over n1 + n2 trials; otherwise the sum over x of P[X = x] P[Y >= s - x], walked out
 * from the mode of X until the terms fall 100 nats below the largest, and the rest bounded
 * by its count times the last term: the result is an upper bound that exceeds the exact value
 * by at most (n1 + 1) e^-100 relative (4e-38 at n1 = 1e6).
 *
 * @example
 * ```ts
 * log10BinomialSumTail(60, 100, 0.25, 100, 0.25); // = log10BinomialTail(60, 200, 0.25)
 * log10BinomialSumTail(60, 100, 0.2, 100, 0.3);
 * ```
 */
export function log10BinomialSumTail(s: number, n1: number, p1: number, n2: number, p2: number): number {
  checkInteger('s', s, Number.MIN_SAFE_INTEGER);
  checkInteger('n1', n1);
  checkInteger('n2', n2);
  checkOpenProbability('p1', p1);
  checkOpenProbability('p2', p2);
  check(n1 + n2 > 0, 'n1 + n2 must be positive');
  if (s <= 0) return 0;
  if (s > n1 + n2) return -Infinity;
  if (p1 === p2) return log10BinomialTail(s, n1 + n2, p1);
  const mode = Math.min(n1, Math.max(0, Math.floor((n1 + 1) * p1)));
  let best = -Infinity;
  const terms: number[] = [];
  // Walk both ways from the mode of X; stop once P[X = x] is negligible against the largest term.
  for (const step of [1, -1]) {
    let x = step === 1 ? mode : mode - 1;
    for (; x >= 0 && x <= n1; x += step) {
      const pmf = lnBinomialPmf(x, n1, p1, 1 - p1);
      if (pmf < best - LN_CUTOFF) break;
      const t = pmf + lnTailY(s - x, n2, p2);
      terms.push(t);
      best = Math.max(best, t);
    }
    // Every skipped x has P[X = x] below the last one checked (the pmf is unimodal) and P[Y >= .] <= 1.
    const skipped = step === 1 ? n1 - x + 1 : x + 1;
    if (skipped > 0 && x >= 0 && x <= n1) terms.push(Math.log(skipped) + lnBinomialPmf(x, n1, p1, 1 - p1));
  }
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - best);
  return Math.min(0, (best + Math.log(sum)) / Math.LN10);
}

function lnTailY(k: number, n: number, p: number): number {
  if (k <= 0) return 0;
  if (k > n) return -Infinity;
  return lnBinomialTail(k, n, p, 1 - p);
}
