import { GreenList } from '../schemes/green-list.js';
import type { WatermarkKey } from '../key/key.js';
import type { ContextSeeder } from '../schemes/seeding.js';
import { TupleSet } from '../base/tuple-set.js';

/** Running counts of one key. */
export interface KeyCounter {
  readonly key: WatermarkKey;
  readonly greenList: GreenList;
  /** True for a key under test, false for a wrong-key control. */
  readonly tested: boolean;
  scored: number;
  /** Favourable tuples (KGW: green). */
  green: number;
  /** The scheme's statistic (KGW: the green count; see TupleScoring). */
  score: number;
}

/**
 * Keys whose seed inputs coincide share one de-duplication tape: LeftHash keys with the same
 * window have seed input = the raw window whatever the key, so the decision "is this tuple
 * new?" is the same for all of them and is made once (one 16-byte slot per unique tuple,
 * not one per key). MinHash and SelfHash seed inputs depend on each key's rank sub-key,
 * so each such key gets its own group.
 */
export interface KeyGroup {
  /** Computes seed inputs (key-independent for a LeftHash group). */
  readonly seeder: ContextSeeder;
  readonly seen: TupleSet;
  readonly promptWindows: TupleSet;
  readonly members: KeyCounter[];
}

/**
 * Builds counters and groups for tested keys followed by control keys.
 *
 * @example
 * ```ts
 * const { counters, groups } = groupKeys([realKey], wrongKeys);
 * ```
 */
export function groupKeys(
  tested: readonly WatermarkKey[],
  controls: readonly WatermarkKey[],
): { counters: KeyCounter[]; groups: KeyGroup[] } {
  const counters: KeyCounter[] = [...tested.map((key) => counter(key, true)), ...controls.map((key) => counter(key, false))];
  const byName = new Map<string, KeyGroup>();
  const groups: KeyGroup[] = [];
  for (const c of counters) {
    const { seeding, window } = c.key.params;
    const name = seeding === 'lefthash' ? `lefthash/${window}` : `${c.key.id}/${groups.length}`;
    let group = byName.get(name);
    if (!group) {
      group = { seeder: c.greenList.seeder, seen: new TupleSet(), promptWindows: new TupleSet(16), members: [] };
      byName.set(name, group);
      groups.push(group);
    }
    group.members.push(c);
  }
  return { counters, groups };
}

function counter(key: WatermarkKey, tested: boolean): KeyCounter {
  return { key, greenList: new GreenList(key), tested, scored: 0, green: 0, score: 0 };
}
