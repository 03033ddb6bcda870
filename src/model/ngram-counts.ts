import { RadiomarkError } from '../base/errors.js';
import type { ContextTrieLevel } from './context-trie.js';
import { sortPositionsByKey } from './radix-sort.js';

/**
 * Kneser-Ney counts of one order `j + 1`, stored on context level `j`: raw counts at the
 * highest order, continuation counts (number of distinct tokens seen just before the
 * n-gram, the start of a document counting as one) below it.
 *
 * @example
 * ```ts
 * const [unigrams] = countNgrams(streams, 2, V);
 * unigrams.succCount[0]; // continuation count of the smallest token id seen
 * ```
 */
export interface NgramCountLevel extends ContextTrieLevel {
  /** Count of each successor entry (parallel to `succWord`). */
  readonly succCount: Uint32Array;
}

/**
 * The training text as one array: `[BOS, doc 1..., BOS, doc 2..., BOS]`, where BOS is
 * `vocabSize` (a virtual begin-of-document token). The token left of any n-gram is then
 * simply the one before it, and the tokens of an n-gram and its left neighbour share a
 * cache line: comparing two n-grams costs one memory access, not one per token.
 */
interface Corpus {
  readonly tokens: Uint32Array;
  /** Tokens from each position to its document's end, capped at 255 (0 on separators). */
  readonly room: Uint8Array;
}

/**
 * Counts every n-gram of orders 1..`order` in `streams` (one array of token ids per
 * document; n-grams never cross documents) into a context trie with Kneser-Ney counts.
 * Each order is sorted with LSD radix passes over token positions: O(tokens x order) per
 * order, no hashing, no per-n-gram objects.
 *
 * @example
 * ```ts
 * const levels = countNgrams([Uint32Array.of(1, 2, 1, 2, 3)], 3, 4);
 * levels[1].succWord; // successors of the 1-token contexts
 * ```
 */
export function countNgrams(streams: readonly ArrayLike<number>[], order: number, vocabSize: number): NgramCountLevel[] {
  if (!Number.isInteger(order) || order < 1 || order > 255) {
    throw new RadiomarkError('INVALID_ARGUMENT', `n-gram order must be an integer in 1..255, got ${order}`);
  }
  const corpus = concatenate(streams, vocabSize);
  const n = corpus.tokens.length;
  const scratch = { histogram: new Uint32Array(vocabSize + 1), gathered: new Uint32Array(n) };
  const bufA = new Uint32Array(n);
  const bufB = new Uint32Array(n);
  const levels: NgramCountLevel[] = [];
  let parentReps: Uint32Array = new Uint32Array(1); // the root context
  for (let k = 1; k <= order; k++) {
    const count = positionsWithRoom(corpus.room, k, bufA);
    const rawCounts = k === order;
    const sorted = sortNgramPositions(corpus.tokens, k, !rawCounts, bufA, bufB, count, scratch);
    const { level, reps } = scanSortedNgrams(corpus.tokens, sorted, count, k, rawCounts, scratch.gathered);
    const parent = levels[k - 2]; // the level of order k - 1, pushed in the previous round
    if (parent) {
      levels[k - 2] = { ...parent, childStart: linkChildren(corpus.tokens, parentReps, reps, k - 1) };
    }
    levels.push(level);
    parentReps = reps;
  }
  return levels;
}

function concatenate(streams: readonly ArrayLike<number>[], vocabSize: number): Corpus {
  let n = 1;
  for (const s of streams) n += s.length + 1;
  const tokens = new Uint32Array(n);
  const room = new Uint8Array(n);
  tokens[0] = vocabSize;
  let at = 1;
  for (let d = 0; d < streams.length; d++) {
    const s = streams[d]!;
    const end = at + s.length;
    for (let i = 0; i < s.length; i++, at++) {
      const t = s[i]!;
      if (t >>> 0 !== t || t >= vocabSize) {
        throw new RadiomarkError('INVALID_ARGUMENT', `token ${t} at index ${i} of stream ${d} is outside 0..${vocabSize - 1}`);
      }
      tokens[at] = t;
      room[at] = Math.min(end - at, 255);
    }
    tokens[at++] = vocabSize;
  }
  return { tokens, room };
}

/** Writes the positions where an n-gram of `k` tokens fits inside its document. */
function positionsWithRoom(room: Uint8Array, k: number, out: Uint32Array): number {
  let count = 0;
  for (let p = 0; p < room.length; p++) if (room[p]! >= k) out[count++] = p;
  return count;
}

/**
 * Sorts the positions of k-grams by (context read right to left, next token, left token):
 * contexts come out in trie order, successors ascending, equal n-grams adjacent with their
 * left tokens sorted so distinct ones can be counted.
 */
function sortNgramPositions(
  tokens: Uint32Array,
  k: number,
  byLeft: boolean,
  a: Uint32Array,
  b: Uint32Array,
  count: number,
  scratch: Parameters<typeof sortPositionsByKey>[5],
): Uint32Array {
  let src = a;
  let dst = b;
  const pass = (offset: number): void => {
    sortPositionsByKey(src, dst, count, tokens, offset, scratch);
    [src, dst] = [dst, src];
  };
  if (byLeft) pass(-1);
  pass(k - 1);
  for (let t = 0; t <= k - 2; t++) pass(t);
  return src;
}

// Flags of a sorted k-gram that differs from its predecessor in its context, next token, left token.
const NEW_CONTEXT = 1;
const NEW_WORD = 2;
const NEW_LEFT = 4;

/**
 * Groups sorted k-gram positions into contexts and successors with their counts. A first,
 * branch-free loop compares each k-gram with its predecessor (so the CPU overlaps their cache
 * misses); the grouping loop then reads only sequential memory.
 */
function scanSortedNgrams(
  tokens: Uint32Array,
  sorted: Uint32Array,
  count: number,
  k: number,
  rawCounts: boolean,
  words: Uint32Array,
): { level: NgramCountLevel; reps: Uint32Array } {
  const flags = new Uint8Array(count);
  let q = sorted[0]!;
  for (let i = 0; i < count; i++) {
    const p = sorted[i]!;
    let context = i === 0 ? 1 : 0;
    for (let t = 0; t < k - 1; t++) context |= tokens[p + t]! ^ tokens[q + t]!;
    const word = tokens[p + k - 1]!;
    const diffWord = context | (word ^ tokens[q + k - 1]!);
    const diffLeft = diffWord | (tokens[p - 1]! ^ tokens[q - 1]!);
    // x | -x has its sign bit set iff x != 0 (all values here are below 2^31).
    flags[i] = ((context | -context) >>> 31) | (((diffWord | -diffWord) >>> 31) << 1) | (((diffLeft | -diffLeft) >>> 31) << 2);
    words[i] = word;
    q = p;
  }
  const reps = new Uint32Array(count); // one position where each context occurs
  const succStart = new Uint32Array(count + 2);
  const succWord = new Uint32Array(count);
  const succCount = new Uint32Array(count);
  let nodes = 0;
  let succ = 0;
  for (let i = 0; i < count; i++) {
    const f = flags[i]!;
    if (f & NEW_WORD) {
      if (f & NEW_CONTEXT) {
        reps[nodes] = sorted[i]!;
        succStart[nodes++] = succ;
      }
      succWord[succ] = words[i]!;
      succCount[succ++] = 1;
    } else if (rawCounts || f & NEW_LEFT) {
      succCount[succ - 1]!++;
    }
  }
  if (nodes === 0 && k === 1) nodes = 1; // the root context exists even without text
  succStart[nodes] = succ;
  const key = new Uint32Array(nodes);
  if (k > 1) for (let i = 0; i < nodes; i++) key[i] = tokens[reps[i]!]!;
  const level: NgramCountLevel = {
    key,
    childStart: new Uint32Array(0),
    succStart: succStart.slice(0, nodes + 1),
    succWord: succWord.slice(0, succ),
    succCount: succCount.slice(0, succ),
  };
  return { level, reps: reps.slice(0, nodes) };
}

function sameTokens(tokens: Uint32Array, p: number, q: number, length: number): boolean {
  for (let t = length - 1; t >= 0; t--) if (tokens[p + t] !== tokens[q + t]) return false;
  return true;
}

/**
 * `childStart` of the contexts of length `j - 1` (at `parentReps`), given the sorted
 * contexts of length `j` (at `childReps`). A child's parent is the child without its oldest
 * token; both lists are in trie order, so the parent index only moves forward, and only
 * where a child's parent part differs from the previous child's (found branch-free first).
 */
function linkChildren(tokens: Uint32Array, parentReps: Uint32Array, childReps: Uint32Array, j: number): Uint32Array {
  const children = childReps.length;
  const changed = new Uint8Array(children);
  let q = childReps[0]!;
  for (let c = 0; c < children; c++) {
    const p = childReps[c]!;
    let diff = c === 0 ? 1 : 0;
    for (let t = 1; t < j; t++) diff |= tokens[p + t]! ^ tokens[q + t]!;
    changed[c] = (diff | -diff) >>> 31;
    q = p;
  }
  const childStart = new Uint32Array(parentReps.length + 1);
  let parent = -1;
  for (let c = 0; c < children; c++) {
    if (changed[c]) {
      const p = childReps[c]! + 1;
      do {
        if (++parent >= parentReps.length) throw new RadiomarkError('MODEL', 'n-gram trie is inconsistent (internal error)');
      } while (!sameTokens(tokens, parentReps[parent]!, p, j - 1));
    }
    childStart[parent + 1]!++;
  }
  for (let i = 0; i < parentReps.length; i++) childStart[i + 1]! += childStart[i]!;
  return childStart;
}
