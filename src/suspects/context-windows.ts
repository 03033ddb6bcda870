import { RadiomarkError } from '../base/errors.js';

/** One forward pass over `ids[start..end)`; `rows[r]` is read for request `requests[r]`. */
export interface ContextWindow {
  start: number;
  end: number;
  /** Index (into the caller's positions) of each prediction taken from this window. */
  requests: number[];
  /** Logits row (0-based, within the window) of each request. */
  rows: number[];
}

/**
 * Splits the predictions at `positions` (each needs the context `ids[0..position)`) into
 * forward passes of at most `contextLength` tokens. Windows start at multiples of
 * `stride = contextLength - overlap`; the prediction at position j comes from the first
 * window that reaches j, so it sees at least min(j, overlap + 1) tokens of context, and
 * which window serves j depends on j alone (not on the text after j). A window runs only
 * up to the last token its predictions need.
 *
 * @example
 * ```ts
 * planContextWindows(Uint32Array.of(1, 5, 9), 8, 4); // windows [0, 5) and [4, 9)
 * ```
 */
export function planContextWindows(positions: Uint32Array, contextLength: number, overlap: number): ContextWindow[] {
  if (!(Number.isInteger(overlap) && overlap >= 0 && (overlap < contextLength || contextLength === Infinity))) {
    throw new RadiomarkError('INVALID_ARGUMENT', `overlap must be an integer in 0..${contextLength - 1} (got ${overlap})`);
  }
  const stride = contextLength - overlap;
  const windows = new Map<number, ContextWindow>();
  for (let p = 0; p < positions.length; p++) {
    const j = positions[p]!;
    if (j < 1) throw new RadiomarkError('INVALID_ARGUMENT', 'a prediction needs at least one token of context');
    const m = j <= contextLength ? 0 : Math.ceil((j - contextLength) / stride);
    const start = m * stride;
    let w = windows.get(start);
    if (!w) windows.set(start, (w = { start, end: start + 1, requests: [], rows: [] }));
    w.requests.push(p);
    w.rows.push(j - 1 - start);
    if (j > w.end) w.end = j;
  }
  return [...windows.values()].sort((a, b) => a.start - b.start);
}
