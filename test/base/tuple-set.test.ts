import { describe, expect, it } from 'vitest';
import { HashBatch } from '../../src/detect/first-occurrences.js';
import { seededRandom } from '../../src/base/rng.js';
import { TupleSet } from '../../src/base/tuple-set.js';

describe('TupleSet', () => {
  it('adds each 64-bit hash once across growth and answers membership', () => {
    const set = new TupleSet(4);
    const rng = seededRandom(3);
    const keys = Array.from({ length: 50_000 }, () => [Math.floor(rng() * 2 ** 32), Math.floor(rng() * 2 ** 32)] as const);
    for (const [lo, hi] of keys) expect(set.add(lo, hi)).toBe(true);
    for (const [lo, hi] of keys) expect(set.add(lo, hi)).toBe(false);
    expect(set.size).toBe(keys.length);
    expect(set.has(keys[7]![0], keys[7]![1] ^ 1)).toBe(false);
  });

  it('tells apart hashes that share their low half', () => {
    const set = new TupleSet();
    expect(set.add(42, 1)).toBe(true);
    expect(set.add(42, 2)).toBe(true);
    expect(set.has(42, 3)).toBe(false);
  });
});

describe('HashBatch.firstOccurrences', () => {
  it('keeps the earliest index of each distinct hash, including 32-bit collisions', () => {
    const batch = new HashBatch();
    const rng = seededRandom(9);
    const n = 20_000;
    batch.ensure(n);
    const expected = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      // Few distinct values, and some pairs sharing lo with different hi.
      const lo = Math.floor(rng() * 500);
      const hi = Math.floor(rng() * 3);
      batch.lo[i] = lo;
      batch.hi[i] = hi;
      batch.index[i] = i;
      const key = `${lo}:${hi}`;
      if (!expected.has(key)) expected.set(key, i);
    }
    const distinct = batch.firstOccurrences(n);
    expect(distinct).toBe(expected.size);
    for (let d = 0; d < distinct; d++) expect(batch.index[d]).toBe(expected.get(`${batch.lo[d]}:${batch.hi[d]}`));
    for (let d = 1; d < distinct; d++) expect(batch.lo[d]! >= batch.lo[d - 1]!).toBe(true);
  });
});
