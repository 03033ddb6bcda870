import { seededRandom } from '../../src/base/rng.js';

/** `n` distinct pseudo-random 32-bit account ids from `seed`, none of them in `exclude`. */
export function randomAccountIds(n: number, seed: number, exclude: readonly number[] = []): number[] {
  const rng = seededRandom(seed);
  const ids = new Set<number>();
  while (ids.size < n) {
    const id = Math.floor(rng() * 2 ** 32);
    if (!exclude.includes(id)) ids.add(id);
  }
  return [...ids];
}
