import { RadiomarkError } from '../base/errors.js';

/**
 * Modified Kneser-Ney discounts (Chen & Goodman 1998) of one order: `[D1, D2, D3+]`, the
 * amounts subtracted from n-grams seen once, twice, and three or more times, estimated from
 * the count-of-counts n1..n4 as
 * `Y = n1/(n1+2 n2)`, `D1 = 1 - 2Y n2/n1`, `D2 = 2 - 3Y n3/n2`, `D3+ = 3 - 4Y n4/n3`.
 * Small or synthetic corpora can make an estimate undefined or out of range: it is then
 * replaced by a safe value strictly inside (0, c), so every context keeps some backoff mass.
 *
 * @example
 * ```ts
 * const [d1, d2, d3] = modifiedKneserNeyDiscounts(level.succCount);
 * ```
 */
export function modifiedKneserNeyDiscounts(counts: ArrayLike<number>): [number, number, number] {
  // Count-of-counts n1..n4 (n[c] = n-grams seen c times).
  const n = new Float64Array(5);
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c <= 4) n[c]!++;
  }
  const [n1, n2, n3, n4] = [n[1]!, n[2]!, n[3]!, n[4]!];
  const y = n1 / (n1 + 2 * n2);
  return [sane(1 - (2 * y * n2) / n1, 1, 0.5), sane(2 - (3 * y * n3) / n2, 2, 1), sane(3 - (4 * y * n4) / n3, 3, 1.5)];
}

/** The estimate when it lies strictly inside (0, count), else `fallback`. */
function sane(value: number, count: number, fallback: number): number {
  return value > 0 && value < count ? value : fallback;
}

/**
 * The discount for an n-gram seen `count` (>= 1) times.
 *
 * @example
 * ```ts
 * discountFor([0.6, 1.1, 1.4], 7); // 1.4
 * ```
 */
export function discountFor(discounts: ArrayLike<number>, count: number): number {
  const d = discounts[count >= 3 ? 2 : count - 1];
  if (d === undefined) throw new RadiomarkError('MODEL', `no discount for an n-gram count of ${count}`);
  return d;
}
