import { getTokenizer } from '../key/tokenizer.js';
import type { TokenDetail } from '../detect/detection-result.js';
import { STATUS, type TokenStatus } from '../detect/score-tape.js';
import { tokenCharSpans } from '../detect/token-spans.js';
import type { DetectInput } from './types.js';

const STATUS_NAMES = Object.keys(STATUS) as TokenStatus[];

/**
 * Per-token details of one detection: id, status, and the character span for text input.
 *
 * @example
 * ```ts
 * tokenDetails({ input: text, ids, statuses }, 'o200k'); // [{ id, start, end, status }, ...]
 * ```
 */
export function tokenDetails(read: { input: DetectInput; ids: Uint32Array; statuses: Uint8Array }, tokenizer: string): TokenDetail[] {
  const spans = typeof read.input === 'string' ? tokenCharSpans(getTokenizer(tokenizer), read.ids, read.input) : undefined;
  return Array.from(read.ids, (id, i) => ({
    id,
    ...(spans ? { start: spans.starts[i]!, end: spans.ends[i]! } : {}),
    status: STATUS_NAMES[read.statuses[i]!]!,
  }));
}
