import type { GreenList } from '../schemes/green-list.js';
import { tokenUniform } from '../prf/token-mixer.js';
import { hashWords64 } from '../base/tuple-hash.js';
import { TupleSet } from '../base/tuple-set.js';
import { HashBatch } from './first-occurrences.js';

/**
 * De-duplication mode.
 * - `tuple` (default): each distinct (seed input, token) is scored once. Exact null.
 * - `window`: only the first occurrence of each seed input is scored. Exact null, fewer tuples.
 * - `none`: every position is scored. NOT exact: repeated text inflates the score.
 */
export type Dedup = 'tuple' | 'window' | 'none';

/**
 * What happened to each token during scoring (see {@link TokenStatus}), as stored in the
 * `statuses` array of {@link ScoreTape.read}.
 *
 * @example
 * ```ts
 * statuses[i] === STATUS.green;
 * ```
 */
export const STATUS = { unscored: 0, green: 1, red: 2, repeat: 3, prompt: 4 } as const;
/** Status of one token: `unscored` (no full window), `green`/`red` (scored), `repeat` (de-duplicated), `prompt` (window occurs in the prompt). */
export type TokenStatus = keyof typeof STATUS;

// Below this many candidates a batch is de-duplicated by probing the set directly.
const SORT_THRESHOLD = 4096;

/** Receives every tuple a tape scores: its seed input `words[0..count)` and its token. */
export interface TupleObserver {
  addTuple(words: ArrayLike<number>, count: number, token: number): void;
}

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
  /** Tuples whose PRF value favoured them (KGW: green tuples; the test statistic for KGW). */
  green = 0;
  /** The scheme's test statistic: sum of the scored tuples' scores (KGW: the green count). */
  score = 0;
  /** Tokens read (all positions of all sequences passed to `read`). */
  tokens = 0;
  private readonly seen = new TupleSet();
  private readonly promptWindows = new TupleSet(16);
  private hasPrompt = false;
  private readonly words = new Uint32Array(16);
  private readonly hash = new Uint32Array(2);
  readonly #seed = new Uint32Array(2);
  private marks = new Uint8Array(0);
  private pending = 0;

  /**
   * @param batch sorting buffers; pass one to reuse them across short-lived tapes (a
   *   watermark's successive detections). A tape uses it only inside `read`.
   * @param observer sees each scored tuple (the account tally uses it).
   */
  constructor(
    private readonly greenList: GreenList,
    readonly dedup: Dedup = 'tuple',
    private readonly batch: HashBatch = new HashBatch(),
    private readonly observer?: TupleObserver,
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
   * Writes a {@link STATUS} code per position into `statuses` and each scored tuple's score
   * into `scores` when given.
   *
   * Repeats are found in three linear passes (hash every tuple; radix-sort the hashes and
   * keep the first occurrence of each, checking the tape's set in hash order so that its
   * memory is walked sequentially; then score in text order), which is several times faster
   * than probing a large hash set once per token in text order.
   */
  read(tokens: ArrayLike<number>, from = 0, statuses?: Uint8Array, scores?: Float64Array): void {
    const start = Math.max(from, this.greenList.seeder.window);
    this.tokens += tokens.length - from;
    const n = tokens.length - start;
    if (n <= 0) return;
    const batch = this.batch;
    this.flushPending();
    batch.ensure(n);
    if (this.marks.length < n) this.marks = new Uint8Array(Math.max(n, 2 * this.marks.length));
    const candidates = this.hashTuples(tokens, start, n);
    const { lo, hi, index } = batch;
    const marks = this.marks;
    if (this.dedup === 'none') {
      for (let c = 0; c < candidates; c++) marks[index[c]!] = STATUS.green;
    } else if (candidates < SORT_THRESHOLD) {
      // Short texts: probing the set in text order is cheaper than sorting.
      for (let c = 0; c < candidates; c++) if (this.seen.add(lo[c]!, hi[c]!)) marks[index[c]!] = STATUS.green;
    } else {
      const distinct = batch.firstOccurrences(candidates);
      const seen = this.seen;
      for (let d = 0; d < distinct; d++) if (seen.size === 0 || !seen.has(lo[d]!, hi[d]!)) marks[index[d]!] = STATUS.green;
      this.pending = distinct;
    }
    this.scoreMarked(tokens, start, n, statuses, scores);
  }

  // The hashes of the last batch join the tape's set only when another batch comes, so a
  // tape that reads one text never builds the set at all.
  private flushPending(): void {
    const { lo, hi } = this.batch;
    // Room first: adding sorted hashes to a table that rehashes midway would cluster them.
    this.seen.reserve(this.pending);
    for (let d = 0; d < this.pending; d++) this.seen.add(lo[d]!, hi[d]!);
    this.pending = 0;
  }

  // Pass 1: prompt windows are marked; every other position gets its tuple hash and becomes
  // a candidate (marked `repeat` until shown to be new). Returns the number of candidates.
  private hashTuples(tokens: ArrayLike<number>, start: number, n: number): number {
    const { seeder } = this.greenList;
    const { lo, hi, index } = this.batch;
    const marks = this.marks;
    const words = this.words;
    let candidates = 0;
    for (let i = 0; i < n; i++) {
      const pos = start + i;
      if (this.hasPrompt && this.inPrompt(tokens, pos)) {
        marks[i] = STATUS.prompt;
        continue;
      }
      marks[i] = STATUS.repeat;
      index[candidates] = i;
      if (this.dedup !== 'none') {
        let count = seeder.seedInput(tokens, pos, words, tokens[pos]!);
        if (this.dedup === 'tuple') words[count++] = tokens[pos]!;
        hashWords64(words, count, this.hash);
        lo[candidates] = this.hash[0]!;
        hi[candidates] = this.hash[1]!;
      }
      candidates++;
    }
    return candidates;
  }

  // Pass 3: in text order, colour the positions marked new and count them.
  private scoreMarked(tokens: ArrayLike<number>, start: number, n: number, statuses?: Uint8Array, scores?: Float64Array): void {
    const { seeder, scoring } = this.greenList;
    const marks = this.marks;
    const words = this.words;
    for (let i = 0; i < n; i++) {
      let status = marks[i]!;
      if (status === STATUS.green) {
        const token = tokens[start + i]!;
        const count = seeder.seedInput(tokens, start + i, words, token);
        this.observer?.addTuple(words, count, token);
        seeder.seedOf(words, count, this.#seed);
        const u = tokenUniform(this.#seed[0]!, this.#seed[1]!, token);
        const score = scoring.score(u);
        this.scored++;
        this.score += score;
        if (scores) scores[start + i] = score;
        if (scoring.favourable(u)) this.green++;
        else status = STATUS.red;
      }
      if (statuses) statuses[start + i] = status;
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
}
