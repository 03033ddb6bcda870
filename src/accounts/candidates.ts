import { RadiomarkError } from '../base/errors.js';
import { checkAccountId } from './account-code.js';

/**
 * Largest candidate list accepted.
 *
 * @example
 * ```ts
 * if (ids.length > MAX_CANDIDATES) throw new Error('split the candidate list');
 * ```
 */
export const MAX_CANDIDATES = 10_000_000;

/**
 * Validates a candidate list (account ids, no repeats, at most MAX_CANDIDATES) and returns it
 * as a Uint32Array. A repeated id is an error rather than silently dropped: it would change
 * the family size of the correction.
 *
 * @example
 * ```ts
 * checkCandidates([1001, 1002]); // Uint32Array [1001, 1002]
 * ```
 */
export function checkCandidates(candidates: ArrayLike<number>): Uint32Array {
  if (candidates === null || typeof candidates !== 'object' || typeof candidates.length !== 'number') {
    throw new RadiomarkError('INVALID_ARGUMENT', 'candidates must be an array of account ids');
  }
  if (candidates.length === 0) throw new RadiomarkError('EMPTY_INPUT', 'no candidate accounts to test');
  if (candidates.length > MAX_CANDIDATES) {
    throw new RadiomarkError('INVALID_ARGUMENT', `at most ${MAX_CANDIDATES} candidates (got ${candidates.length})`);
  }
  const ids = new Uint32Array(candidates.length);
  for (let i = 0; i < ids.length; i++) ids[i] = checkAccountId(candidates[i], `candidates[${i}]`);
  const sorted = ids.slice().sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new RadiomarkError('INVALID_ARGUMENT', `candidate account ${sorted[i]} is listed twice`);
  }
  return ids;
}
