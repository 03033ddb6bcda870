import { MinHeap } from './min-heap.js';

/**
 * Enumerates codewords in order of decreasing score (sum of one cell per position), best
 * first: the classic k-best walk over the product of the sorted rows (one per position). Each codeword is
 * produced exactly once, because it is reached by raising ranks in non-decreasing position
 * order only.
 *
 * @example
 * ```ts
 * for (const prefix of bestCodewords(tally.rows().slice(0, 8), 1000)) console.log(prefix);
 * ```
 */
export function* bestCodewords(rows: readonly (readonly number[])[], limit: number): Generator<Uint8Array, void, undefined> {
  const positions = rows.length;
  const order = rows.map((row) => row.map((_, d) => d).sort((a, b) => row[b]! - row[a]! || a - b));
  const gap = (p: number, rank: number) => rows[p]![order[p]![0]!]! - rows[p]![order[p]![rank]!]!;
  const heap = new MinHeap<Entry>((a, b) => a.cost - b.cost);
  heap.push({ ranks: new Uint8Array(positions), last: 0, cost: 0 });
  for (let produced = 0; produced < limit && heap.size > 0; produced++) {
    const entry = heap.pop()!;
    yield Uint8Array.from(entry.ranks, (rank, p) => order[p]![rank]!);
    for (let p = entry.last; p < positions; p++) {
      const rank = entry.ranks[p]!;
      if (rank + 1 >= rows[p]!.length) continue;
      const ranks = entry.ranks.slice();
      ranks[p] = rank + 1;
      heap.push({ ranks, last: p, cost: entry.cost + gap(p, rank + 1) - gap(p, rank) });
    }
  }
}

interface Entry {
  ranks: Uint8Array;
  last: number;
  cost: number;
}
