import { CODEWORD_DIGITS, DIGIT_VALUES } from './account-code.js';
import { positionOf, type AccountMarks } from './account-marks.js';

/**
 * The sufficient statistic of every account test: for each codeword position p and digit
 * value d, how many scored tuples at a window of position p fall in the set of d. Filled in
 * one pass (16 cheap mixer calls per scored tuple, whatever the number of accounts); any
 * account's score is then the sum of 32 cells (one per position).
 *
 * @example
 * ```ts
 * const tally = new AccountTally(marks);
 * tally.addTuple(seedInputWords, count, token); // for each de-duplicated tuple
 * tally.scoreOf(code.digitsOf(42));
 * ```
 */
export class AccountTally {
  /** cells[p * 16 + d]: tuples at position p in the set of digit value d. */
  readonly cells = new Float64Array(CODEWORD_DIGITS * DIGIT_VALUES);
  /** Tuples counted at each position. */
  readonly perPosition = new Float64Array(CODEWORD_DIGITS);
  /** Tuples counted in all. */
  tuples = 0;
  /** Position of the last tuple added. */
  lastPosition = 0;
  /** Membership bits (bit d: in the set of digit value d) of the last tuple added. */
  lastMask = 0;
  readonly #seed = new Uint32Array(2);

  readonly #marks: AccountMarks;

  constructor(marks: AccountMarks) {
    this.#marks = marks;
  }

  /** Counts one scored tuple, given its seed input (as the green list computes it) and token. */
  addTuple(words: ArrayLike<number>, count: number, token: number): void {
    this.#marks.seedOfInput(words, count, this.#seed);
    const position = positionOf(this.#seed[1]!);
    let mask = this.#marks.memberships(this.#seed[0]!, this.#seed[1]!, token);
    this.lastPosition = position;
    this.lastMask = mask;
    const row = position * DIGIT_VALUES;
    while (mask !== 0) {
      const d = 31 - Math.clz32(mask & -mask);
      this.cells[row + d]!++;
      mask &= mask - 1;
    }
    this.perPosition[position]!++;
    this.tuples++;
  }

  /** Score of a codeword: tuples in the set of its digit at their position. */
  scoreOf(digits: ArrayLike<number>): number {
    let s = 0;
    for (let p = 0; p < CODEWORD_DIGITS; p++) s += this.cells[p * DIGIT_VALUES + digits[p]!]!;
    return s;
  }

  /** The 32 x 16 table as rows (one per position). */
  rows(): number[][] {
    return Array.from({ length: CODEWORD_DIGITS }, (_, p) => Array.from(this.cells.subarray(p * DIGIT_VALUES, (p + 1) * DIGIT_VALUES)));
  }
}
