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

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(items[i]!, items[parent]!) >= 0) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(items[l]!, items[m]!) < 0) m = l;
        if (r < items.length && this.less(items[r]!, items[m]!) < 0) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}
