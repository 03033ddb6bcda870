import { RadiomarkError } from '../base/errors.js';

/** Largest score range the exact null is computed over (memory: 8 bytes per value). */
const MAX_RANGE = 100_000_000;

/**
 * The exact conditional null of an account score: given the tally's table, the score of an
 * account whose codeword is independent of the data is the sum over positions of one cell
 * per position, each chosen uniformly. This computes P(score >= s) for every s by convolving
 * the per-position distributions (all terms positive, so no cancellation; probabilities
 * are multiples of 16^-32 = 2.9e-39, far above the double range limit).
 *
 * @example
 * ```ts
 * const nullTail = new CodewordNull(tally.rows());
 * nullTail.log10Tail(tally.scoreOf(digits)); // log10 P(random codeword scores at least this)
 * ```
 */
export class CodewordNull {
  /** Sum of the per-position minima: the smallest possible score. */
  private readonly offset: number;
  /** tail[x] = P(score - offset >= x). */
  private readonly tail: Float64Array;
  /** Mean score of a random codeword. */
  readonly mean: number;

  constructor(rows: readonly (readonly number[])[]) {
    if (rows.length === 0) throw new RadiomarkError('INVALID_ARGUMENT', 'the table has no positions');
    const mins = rows.map((row) => Math.min(...row));
    const range = rows.reduce((sum, row, p) => sum + Math.max(...row) - mins[p]!, 0);
    if (!rows.every((row) => row.length > 0 && row.every((c) => Number.isInteger(c) && c >= 0))) {
      throw new RadiomarkError('INVALID_ARGUMENT', 'table cells must be non-negative integers');
    }
    if (range > MAX_RANGE) throw new RadiomarkError('UNSUPPORTED', `score range ${range} is too large for the exact null`);
    this.offset = mins.reduce((a, b) => a + b, 0);
    this.mean = rows.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0) / row.length, 0);
    this.tail = suffixSums(convolveRows(rows, mins, range));
  }

  /** log10 P(score >= s) for a random codeword (0 at or below the minimum, -Infinity above the maximum). */
  log10Tail(score: number): number {
    const x = Math.ceil(score - this.offset);
    if (x <= 0) return 0;
    if (x >= this.tail.length) return -Infinity;
    return Math.min(0, Math.log10(this.tail[x]!));
  }
}

function convolveRows(rows: readonly (readonly number[])[], mins: number[], range: number): Float64Array {
  let dist = new Float64Array(range + 1);
  dist[0] = 1;
  let width = 1;
  rows.forEach((row, p) => {
    const shifted = row.map((c) => c - mins[p]!);
    const next = new Float64Array(range + 1);
    const weight = 1 / row.length;
    for (const c of shifted) for (let x = 0; x < width; x++) next[x + c]! += dist[x]! * weight;
    width += Math.max(...shifted);
    dist = next;
  });
  return dist;
}

// tail[x] = sum of dist[x..], accumulated from the top so that small terms are added first.
function suffixSums(dist: Float64Array): Float64Array {
  const tail = new Float64Array(dist.length);
  let acc = 0;
  for (let x = dist.length - 1; x >= 0; x--) {
    acc += dist[x]!;
    tail[x] = acc;
  }
  return tail;
}
