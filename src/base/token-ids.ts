/**
 * Token ids of `a` followed by `b` (a prompt and its completion, say). Returns `b` itself
 * when `a` is empty and `b` is already a Uint32Array.
 *
 * @example
 * ```ts
 * concatIds(promptIds, completionIds);
 * ```
 */
export function concatIds(a: ArrayLike<number>, b: ArrayLike<number>): Uint32Array {
  if (a.length === 0 && b instanceof Uint32Array) return b;
  const out = new Uint32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
