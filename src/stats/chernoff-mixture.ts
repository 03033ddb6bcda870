import { logSumExp } from './log-sum-exp.js';

/**
 * The fixed grid of tilts lambda_j = 2^(j/2), j = -16..20 (1/256 .. 1024), weighted equally.
 * Fixed before any data is seen: that is what makes the mixture a valid test martingale.
 */
export const LAMBDA_GRID: readonly number[] = Array.from({ length: 37 }, (_, j) => 2 ** ((j - 16) / 2));

/**
 * Adds one scored position's log moment generating function to `psi`: for each grid tilt,
 * sum over the kept tokens of ln(1 - gamma + gamma e^(lambda q)). Under H0 (the position's
 * green list is fresh: iid Bernoulli(gamma) colours independent of the past) this is exactly
 * ln E[exp(lambda G) | past] for G = sum of the kept probabilities that are green.
 *
 * @example
 * ```ts
 * const psi = new Float64Array(LAMBDA_GRID.length);
 * addLogMgf(psi, Float64Array.of(0.5, 0.2), 2, 0.25);
 * ```
 */
export function addLogMgf(psi: Float64Array, probs: Float64Array, count: number, gamma: number): void {
  for (let j = 0; j < LAMBDA_GRID.length; j++) {
    const lambda = LAMBDA_GRID[j]!;
    let sum = 0;
    for (let i = 0; i < count; i++) sum += Math.log1p(gamma * Math.expm1(lambda * probs[i]!));
    psi[j]! += sum;
  }
}

/**
 * log10 of the mixture p-value min(1, 1 / M) with M = mean over the grid of
 * exp(lambda_j S - Psi_j): for each fixed lambda, exp(lambda S_t - Psi_t(lambda)) is a
 * non-negative martingale of mean 1 under H0, so is their average, and Ville's inequality
 * gives P[M >= 1/alpha] <= alpha, even though the tested positions and their
 * probabilities depend on the (watermarked) text read so far. Costs at most log10(37) = 1.57
 * decades against the best single tilt.
 *
 * @example
 * ```ts
 * mixtureLog10PValue(s, psi); // <= 0
 * ```
 */
export function mixtureLog10PValue(s: number, psi: Float64Array): number {
  const terms = LAMBDA_GRID.map((lambda, j) => lambda * s - psi[j]!);
  const lnM = logSumExp(terms) - Math.log(LAMBDA_GRID.length);
  return Math.min(0, -lnM / Math.LN10);
}
