import { check } from '../base/errors.js';

// Internal argument checks shared by the stats module. Messages name the argument and echo
// the offending value so a caller can fix the call from the message alone.

/** Asserts `value` is a safe integer >= `min` (a count: trials, successes, family size). */
export function checkInteger(name: string, value: number, min = 0): void {
  check(
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min,
    `${name} must be an integer >= ${min}, got ${String(value)}`,
  );
}

/** Asserts `value` is a probability strictly inside (0, 1). */
export function checkOpenProbability(name: string, value: number): void {
  check(typeof value === 'number' && value > 0 && value < 1, `${name} must be a number strictly between 0 and 1, got ${String(value)}`);
}

/** Asserts `value` is a finite number >= 0. */
export function checkNonNegative(name: string, value: number): void {
  check(typeof value === 'number' && value >= 0 && value < Infinity, `${name} must be a finite number >= 0, got ${String(value)}`);
}

/** Asserts `value` is a finite number > 0. */
export function checkPositive(name: string, value: number): void {
  check(typeof value === 'number' && value > 0 && value < Infinity, `${name} must be a finite number > 0, got ${String(value)}`);
}

/** Asserts `value` is a log10 p-value: a number <= 0 (-Infinity allowed, NaN not). */
export function checkLog10P(name: string, value: number): void {
  check(typeof value === 'number' && value <= 0, `${name} must be a log10 p-value (a number <= 0), got ${String(value)}`);
}

/**
 * Default significance level of every test: conservative, since a false accusation is the
 * worst outcome.
 *
 * @example
 * ```ts
 * watermark.detect(text).alpha === DEFAULT_ALPHA; // true
 * ```
 */
export const DEFAULT_ALPHA = 1e-6;

/**
 * Validates a significance level: a number strictly inside (0, 1). Every test class and
 * function that takes `alpha` goes through it.
 *
 * @example
 * ```ts
 * const alpha = checkAlpha(options.alpha ?? DEFAULT_ALPHA);
 * ```
 */
export function checkAlpha(alpha: number): number {
  check(typeof alpha === 'number' && alpha > 0 && alpha < 1, `alpha must be a number in (0, 1) (got ${String(alpha)})`);
  return alpha;
}
