/**
 * The context trie shared by n-gram counts and the Kneser-Ney model.
 *
 * Level `j` holds every context of `j` tokens that was followed by something in training
 * (level 0 is the single empty context). A level's contexts are sorted by their tokens read
 * right to left (most recent token first), so the contexts extending one context by one
 * older token are contiguous on the next level and sorted by that token: looking up the
 * active contexts of a step walks from the last token backwards with one binary search per
 * level. The successors of each context (the tokens seen right after it) are contiguous
 * and sorted by token id.
 *
 * @example
 * ```ts
 * // Successors of the context "… the" (level 1, key = the id of " the"):
 * const level = tables.levels[1];
 * const i = searchSorted(level.key, tables.levels[0].childStart[0], tables.levels[0].childStart[1], theId);
 * const next = level.succWord.subarray(level.succStart[i], level.succStart[i + 1]);
 * ```
 */
export interface ContextTrieLevel {
  /** Per context: its oldest token (its key among its parent's children; 0 at level 0). */
  readonly key: Uint32Array;
  /** Per context `i`: children on level j+1 are `[childStart[i], childStart[i+1])`; empty on the last level. */
  readonly childStart: Uint32Array;
  /** Per context `i`: successors are `[succStart[i], succStart[i+1])`. */
  readonly succStart: Uint32Array;
  /** Successor token ids, ascending within each context. */
  readonly succWord: Uint32Array;
}

/**
 * Finds the longest suffix of `context` (up to `levels.length - 1` tokens) present in the
 * trie. Writes the context index of every level on the way into `path` (`path[0] = 0`, the
 * root) and returns the depth reached (0 when even the last token is unknown).
 *
 * @example
 * ```ts
 * const path = new Int32Array(model.order);
 * const depth = findContextPath(tables.levels, [464, 3797], path);
 * ```
 */
export function findContextPath(levels: readonly ContextTrieLevel[], context: ArrayLike<number>, path: Int32Array): number {
  path[0] = 0;
  const maxDepth = Math.min(levels.length - 1, context.length);
  let node = 0;
  let depth = 0;
  for (let j = 1; j <= maxDepth; j++) {
    const parent = levels[j - 1]!.childStart;
    node = searchSorted(levels[j]!.key, parent[node]!, parent[node + 1]!, context[context.length - j]!);
    if (node < 0) break;
    path[j] = node;
    depth = j;
  }
  return depth;
}

/**
 * Index of `value` in the ascending range `[lo, hi)` of `sorted`, or -1.
 *
 * @example
 * ```ts
 * searchSorted(Uint32Array.of(2, 5, 9), 0, 3, 5); // 1
 * ```
 */
export function searchSorted(sorted: Uint32Array, lo: number, hi: number, value: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}
