import { hashWords64 } from '../base/tuple-hash.js';
import { TupleSet } from '../base/tuple-set.js';
import type { ContextSeeder } from './seeding.js';

interface History {
  /** Windows ending at h .. indexed - 1 are in `seen`. */
  indexed: number;
  /** The h tokens before `indexed` when they were indexed: a changed context starts over. */
  tail: Uint32Array;
  seen: TupleSet;
}

/**
 * Answers "did the seed input before the next token already occur earlier in this context?"
 * in O(1) amortised per generated token: the seed inputs of each context are hashed into a
 * set as the context grows, instead of rescanning the whole context at every step.
 *
 * Each context object (the array a generation loop appends to) keeps its own history, held
 * weakly. A context that shrank, or whose last indexed tokens changed, is indexed again from
 * the start. Seed inputs are compared by an unkeyed 64-bit hash: a collision (about n^2 / 2^65)
 * would only make one step sample without the watermark.
 *
 * @example
 * ```ts
 * const history = new WindowHistory(new ContextSeeder(key));
 * history.repeats(context); // after each push to context
 * ```
 */
export class WindowHistory {
  readonly #seeder: ContextSeeder;
  readonly #histories = new WeakMap<object, History>();
  readonly #words = new Uint32Array(16);
  readonly #hash = new Uint32Array(2);

  constructor(seeder: ContextSeeder) {
    this.#seeder = seeder;
  }

  /** True if the window before position `context.length` occurred at an earlier position. Requires a full window. */
  repeats(context: ArrayLike<number>): boolean {
    const h = this.#seeder.window;
    const n = context.length;
    const history = this.#historyOf(context, h);
    for (let end = history.indexed; end < n; end++) history.seen.add(...this.#hashAt(context, end));
    history.indexed = Math.max(history.indexed, n);
    for (let j = 0; j < h; j++) history.tail[j] = context[n - h + j]!;
    return history.seen.has(...this.#hashAt(context, n));
  }

  #hashAt(context: ArrayLike<number>, end: number): [number, number] {
    const count = this.#seeder.seedInput(context, end, this.#words);
    hashWords64(this.#words, count, this.#hash);
    return [this.#hash[0]!, this.#hash[1]!];
  }

  #historyOf(context: ArrayLike<number>, h: number): History {
    const key = context as object;
    const known = this.#histories.get(key);
    if (known !== undefined && context.length >= known.indexed && sameTail(context, known)) return known;
    const fresh = { indexed: h, tail: new Uint32Array(h), seen: new TupleSet() };
    this.#histories.set(key, fresh);
    return fresh;
  }
}

function sameTail(context: ArrayLike<number>, history: History): boolean {
  const { tail, indexed } = history;
  const h = tail.length;
  for (let j = 0; j < h; j++) if (context[indexed - h + j] !== tail[j]) return false;
  return true;
}
