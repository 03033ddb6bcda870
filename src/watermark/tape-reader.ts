import { concatIds } from '../base/token-ids.js';
import type { ScoreTape } from '../detect/score-tape.js';
import type { DetectInput, DetectOptions } from './types.js';

/** One input as read onto a tape: its ids, and what was recorded per token when asked. */
export interface TapeRead {
  input: DetectInput;
  ids: Uint32Array;
  statuses: Uint8Array | undefined;
  scores: Float64Array | undefined;
}

/** Which per-token arrays to record (they cost more than the scoring itself on long inputs). */
export interface TapeRecording {
  statuses: boolean;
  scores: boolean;
}

/**
 * Reads inputs onto a tape: each input's prompt is excluded, then serves as the context of
 * its first tokens. Per-token statuses (for details) and scores (for span scans) are
 * recorded only when asked.
 *
 * @example
 * ```ts
 * const [read] = readOntoTape([text], opts, tape, toIds, { statuses: true, scores: false });
 * ```
 */
export function readOntoTape(
  inputs: readonly DetectInput[],
  opts: Pick<DetectOptions, 'prompt'>,
  tape: ScoreTape,
  toIds: (input: DetectInput, what: string) => Uint32Array,
  record: TapeRecording = { statuses: false, scores: false },
): TapeRead[] {
  return inputs.map((input) => {
    const ids = toIds(input, 'input');
    const prompt = opts.prompt === undefined ? new Uint32Array(0) : toIds(opts.prompt, 'prompt');
    if (prompt.length > 0) tape.excludePrompt(prompt);
    const all = concatIds(prompt, ids);
    const statuses = record.statuses ? new Uint8Array(all.length) : undefined;
    const scores = record.scores ? new Float64Array(all.length).fill(NaN) : undefined;
    tape.read(all, prompt.length, statuses, scores);
    return { input, ids, statuses: statuses?.subarray(prompt.length), scores: scores?.subarray(prompt.length) };
  });
}
