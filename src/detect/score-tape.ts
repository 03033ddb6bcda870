import type { GreenList } from '../green-list.js';
import { tokenUniform } from '../prf/token-mixer.js';
import { hashWords64 } from '../tuple-hash.js';
import { TupleSet } from '../tuple-set.js';

/**
 * De-duplication mode.
 * - `tuple` (default): each distinct (seed input, token) is scored once. Exact null.
 * - `window`: only the first occurrence of each seed input is scored. Exact null, fewer tuples.
 * - `none`: every position is scored. NOT exact: repeated text inflates the score.
 */
export type Dedup = 'tuple' | 'window' | 'none';

/** What happened to each token during scoring (see {@link TokenStatus}). */
export const STATUS = { unscored: 0, green: 1, red: 2, repeat: 3, prompt: 4 } as const;
/** Status of one token: `unscored` (no full window), `green`/`red` (scored), `repeat` (de-duplicated), `prompt` (window occurs in the prompt). */
export type TokenStatus = keyof typeof STATUS;

/**
 * A scoring tape: walks token sequences, skips windows seen in the prompt(s), scores each
 * tuple once under the chosen de-duplication, and counts green. One tape can read many
 * documents, which pools them into one test (DESIGN: pool rather than combine p-values).
 *
 * @example
 * ```ts
 * const tape = new ScoreTape(greenList, 'tuple');
 * tape.excludePrompt(promptIds);
 * tape.read(textIds);
 * console.log(tape.green, tape.scored);
 * ```
 */
export class ScoreTape {
  /** Tuples scored so far. */
  scored = 0;
  /** Green tuples among them. */
  green = 0;
  /** Tokens read (all positions of all sequences passed to `read`). */
  tokens = 0;
  private readonly seen = new TupleSet();
  private readonly promptWindows = new TupleSet(16);
  private hasPrompt = false;
  private readonly words = new Uint32Array(16);
  private readonly hash = new Uint32Array(2);
  private readonly seed = new Uint32Array(2);

  constructor(
    private readonly greenList: GreenList,
    readonly dedup: Dedup = 'tuple',
  ) {}

  /** Registers every window that occurs inside `prompt`; later tuples with such a window are not scored. */
  excludePrompt(prompt: ArrayLike<number>): void {
    const h = this.greenList.seeder.window;
    for (let end = h; end <= prompt.length; end++) {
      this.windowHash(prompt, end);
      this.promptWindows.add(this.hash[0]!, this.hash[1]!);
      this.hasPrompt = true;
    }
  }

  /**
   * Scores positions `from` .. end of `tokens` (earlier tokens serve as context only).
   * Writes a {@link STATUS} code per position into `statuses` when given.
   */
  read(tokens: ArrayLike<number>, from = 0, statuses?: Uint8Array): void {
    const { seeder, threshold } = this.greenList;
    const h = seeder.window;
    const words = this.words;
    this.tokens += tokens.length - from;
    for (let i = Math.max(from, h); i < tokens.length; i++) {
      const token = tokens[i]!;
      let status: number = STATUS.repeat;
      if (this.hasPrompt && this.inPrompt(tokens, i)) status = STATUS.prompt;
      else {
        const count = seeder.seedInput(tokens, i, words, token);
        if (this.isNew(words, count, token)) {
          seeder.seedOf(words, count, this.seed);
          const green = tokenUniform(this.seed[0]!, this.seed[1]!, token) < threshold;
          this.scored++;
          if (green) this.green++;
          status = green ? STATUS.green : STATUS.red;
        }
      }
      if (statuses) statuses[i] = status;
    }
  }

  private inPrompt(tokens: ArrayLike<number>, end: number): boolean {
    this.windowHash(tokens, end);
    return this.promptWindows.has(this.hash[0]!, this.hash[1]!);
  }

  // The window's seed input, without the candidate token (SelfHash's anchor is the window minimum).
  private windowHash(tokens: ArrayLike<number>, end: number): void {
    const count = this.greenList.seeder.seedInput(tokens, end, this.words);
    hashWords64(this.words, count, this.hash);
  }

  private isNew(words: Uint32Array, count: number, token: number): boolean {
    if (this.dedup === 'none') return true;
    let n = count;
    if (this.dedup === 'tuple') words[n++] = token;
    hashWords64(words, n, this.hash);
    return this.seen.add(this.hash[0]!, this.hash[1]!);
  }
}
