import type { KneserNeyModel } from '../model/kneser-ney-model.js';
import { findContextPath, searchSorted } from '../model/context-trie.js';
import { selectTopK, type TopKPredictor } from './top-k.js';

/**
 * A fast {@link TopKPredictor} for the Kneser-Ney reference model. The candidates are, for
 * each active context, its 2k successors of largest discounted probability (all of them
 * when it has at most 2k; the lists are cached per context), plus the k most likely
 * unigram tokens; each candidate's
 * probability is then computed exactly (one binary search per level), and the k most likely
 * candidates are returned. Any candidate rule that depends only on the model and the context
 * keeps the test valid (the kept set is independent of the colours); this one almost always
 * finds the true top k, since a token's probability is dominated by its deepest counts.
 * Cost O(candidates x order x log successors) per position instead of O(V).
 *
 * @example
 * ```ts
 * const predictor = kneserNeyTopK(student);
 * const n = predictor.topK(context, 64, tokens, probs);
 * ```
 */
export function kneserNeyTopK(model: KneserNeyModel): TopKPredictor {
  const { levels, vocabSize } = model.tables;
  const base = unigramBase(model);
  const byBase = Uint32Array.from({ length: vocabSize }, (_, i) => i).sort((a, b) => base[b]! - base[a]!);
  const path = new Int32Array(model.order);
  const stamp = new Uint32Array(vocabSize);
  let epoch = 0;
  let candTokens: Uint32Array = new Uint32Array(1024);
  let candScores: Float64Array = new Float64Array(1024);
  const picked = new Uint32Array(4096);
  const scales = new Float64Array(model.order);
  const cache = new Map<number, Uint32Array>();
  return {
    vocabSize,
    topK(context, k, tokens, probs) {
      epoch = (epoch + 1) >>> 0 || 1;
      const depth = findContextPath(levels, context, path);
      let count = 0;
      const add = (v: number): void => {
        if (stamp[v] === epoch) return;
        stamp[v] = epoch;
        if (count === candTokens.length) [candTokens, candScores] = grow(candTokens, candScores);
        candTokens[count++] = v;
      };
      for (let l = 1; l <= depth; l++) {
        const { succStart, succWord } = levels[l]!;
        const lo = succStart[path[l]!]!;
        const hi = succStart[path[l]! + 1]!;
        if (hi - lo <= 2 * k) for (let s = lo; s < hi; s++) add(succWord[s]!);
        else for (const v of topSuccessors(l, path[l]!, 2 * k)) add(v);
      }
      for (let i = 0, added = 0; i < vocabSize && added < k; i++) {
        if (stamp[byBase[i]!] !== epoch) added++;
        add(byBase[i]!);
      }
      let scale = 1;
      for (let l = 1; l <= depth; l++) scales[l] = scale /= levels[l]!.backoff[path[l]!]!;
      for (let i = 0; i < count; i++) candScores[i] = ratioOf(candTokens[i]!, depth);
      const n = selectTopK(candScores.subarray(0, count), Math.min(k, picked.length), picked);
      for (let i = 0; i < n; i++) {
        tokens[i] = candTokens[picked[i]!]!;
        probs[i] = candScores[picked[i]!]! / scale; // times the product of the active backoffs
      }
      return n;
    },
  };

  // The `size` successors of a context with the largest discounted probability, cached
  // per context (only long successor lists get here).
  function topSuccessors(level: number, node: number, size: number): Uint32Array {
    const id = level * 2 ** 32 + node;
    let top = cache.get(id);
    if (!top || top.length < size) {
      const { succStart, succWord, succProb } = levels[level]!;
      const lo = succStart[node]!;
      const idx = new Uint32Array(size);
      const n = selectTopK(succProb.subarray(lo, succStart[node + 1]!), size, idx);
      top = Uint32Array.from(idx.subarray(0, n), (i) => succWord[lo + i]!);
      cache.set(id, top);
    }
    return top.length === size ? top : top.subarray(0, size);
  }

  // p(v) / (product of active backoffs) = base(v) + sum over levels of succProb / (B_1..B_l).
  function ratioOf(v: number, depth: number): number {
    let r = base[v]!;
    for (let l = 1; l <= depth; l++) {
      const { succStart, succWord, succProb } = levels[l]!;
      const s = searchSorted(succWord, succStart[path[l]!]!, succStart[path[l]! + 1]!, v);
      if (s < 0) break; // successors are nested: not seen here means not seen deeper
      r += succProb[s]! * scales[l]!;
    }
    return r;
  }
}

function unigramBase(model: KneserNeyModel): Float64Array {
  const { levels, vocabSize } = model.tables;
  const root = levels[0]!;
  const base = new Float64Array(vocabSize).fill(root.backoff[0]! / vocabSize);
  for (let s = root.succStart[0]!; s < root.succStart[1]!; s++) base[root.succWord[s]!]! += root.succProb[s]!;
  return base;
}

function grow(t: Uint32Array, s: Float64Array): [Uint32Array, Float64Array] {
  const t2 = new Uint32Array(t.length * 2);
  t2.set(t);
  const s2 = new Float64Array(s.length * 2);
  s2.set(s);
  return [t2, s2];
}
