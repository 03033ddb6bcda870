/**
 * Default significance level: conservative, since a false accusation is the worst outcome.
 *
 * @example
 * ```ts
 * watermark.detect(text).alpha === DEFAULT_ALPHA; // true
 * ```
 */
export const DEFAULT_ALPHA = 1e-6;
