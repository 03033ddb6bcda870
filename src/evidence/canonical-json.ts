import { RadiomarkError } from '../base/errors.js';

/**
 * The canonical JSON text of a value: object keys sorted by UTF-16 code units, no whitespace,
 * numbers and strings as `JSON.stringify` writes them (shortest round-trip numbers), `undefined`
 * properties left out. Two equal values always give the same text, so it is what evidence
 * signatures cover. Throws `INVALID_ARGUMENT` for non-finite numbers and non-JSON values.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, 'x'] }); // '{"a":[true,"x"],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RadiomarkError('INVALID_ARGUMENT', `canonical JSON has no encoding for ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  throw new RadiomarkError('INVALID_ARGUMENT', `canonical JSON has no encoding for a ${typeof value}`);
}

/**
 * A value as it reads back from JSON (NaN and infinities become null, `undefined` fields drop
 * out): what a bundle holds, so that fresh and re-read results compare equal.
 *
 * @example
 * ```ts
 * jsonValue({ p: NaN, q: undefined }); // { p: null }
 * ```
 */
export function jsonValue<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/**
 * The first place where two JSON values differ, as a path (`result.keys[0].green`), or
 * undefined when they are equal.
 *
 * @example
 * ```ts
 * firstDifference({ a: [1, 2] }, { a: [1, 3] }, 'result'); // 'result.a[1]'
 * ```
 */
export function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : path;
}
