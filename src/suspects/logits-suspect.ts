import { RadiomarkError } from '../base/errors.js';
import type { TopKRows } from '../radioactivity/reading-mode.js';
import { planContextWindows, type ContextWindow } from './context-windows.js';
import { logitsRowTopK } from './logits-row.js';
import { allocateRows, type SuspectModel, type SuspectTokenizer } from './suspect-model.js';

/**
 * One batched forward pass of a causal language model: `batch` sequences, right-padded to
 * `length` tokens, give logits `[batch.length, length, vocabSize]` (row-major). Rows of a
 * sequence beyond its own length are ignored.
 *
 * @example
 * ```ts
 * const forward: ForwardPass = async (batch, length) => runMyModel(batch, length);
 * ```
 */
export type ForwardPass = (batch: readonly Uint32Array[], length: number) => Promise<Float32Array>;

/** Options of {@link logitsSuspect}. */
export interface LogitsSuspectOptions {
  name: string;
  tokenizer: SuspectTokenizer;
  /** Logits per position. */
  vocabSize: number;
  /** Longest sequence of one forward pass. */
  contextLength: number;
  forward: ForwardPass;
  /** Tokens shared by consecutive windows of a long text. Default: a quarter of the context. */
  overlap?: number;
  /** Windows per forward pass. Default 4. */
  batchSize?: number;
  /** Called after each forward pass with the tokens it ran. */
  onForward?: (tokens: number) => void;
  close?: () => Promise<void>;
}

/**
 * A {@link SuspectModel} over any causal LM that returns logits for every position: long
 * texts are read in windows of the context length that overlap by `overlap` tokens (see
 * {@link planContextWindows}), `batchSize` windows per forward pass; each requested row is
 * turned into its exact softmax top-k. Causality of the model makes row j a function of the
 * tokens before j: right padding and the tokens after j in the window do not reach it.
 *
 * @example
 * ```ts
 * const suspect = logitsSuspect({ name: 'm', tokenizer, vocabSize: 100_277, contextLength: 128, forward });
 * ```
 */
export function logitsSuspect(options: LogitsSuspectOptions): SuspectModel {
  const { vocabSize, contextLength, forward } = options;
  const overlap = options.overlap ?? Math.floor(contextLength / 4);
  const batchSize = options.batchSize ?? 4;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RadiomarkError('INVALID_ARGUMENT', 'batchSize must be a positive integer');
  return {
    name: options.name,
    tokenizer: options.tokenizer,
    vocabSize,
    contextLength,
    close: options.close,
    async predict(ids, positions, k) {
      const out = allocateRows(positions.length, k);
      const scratch = new Uint32Array(k);
      const windows = planContextWindows(positions, contextLength, overlap);
      for (let b = 0; b < windows.length; b += batchSize) {
        const group = windows.slice(b, b + batchSize);
        const length = Math.max(...group.map((w) => w.end - w.start));
        const logits = await forward(
          group.map((w) => ids.subarray(w.start, w.end)),
          length,
        );
        if (logits.length !== group.length * length * vocabSize) {
          throw new RadiomarkError(
            'MODEL',
            `the suspect returned ${logits.length} logits, expected ${group.length} x ${length} x ${vocabSize}`,
          );
        }
        group.forEach((w, i) => fillRows(w, logits, i * length * vocabSize, vocabSize, out, scratch));
        options.onForward?.(group.reduce((s, w) => s + w.end - w.start, 0));
      }
      return out;
    },
  };
}

function fillRows(
  w: ContextWindow,
  logits: Float32Array,
  base: number,
  vocab: number,
  out: TopKRows & { counts: Uint32Array },
  scratch: Uint32Array,
): void {
  for (let r = 0; r < w.requests.length; r++) {
    const p = w.requests[r]!;
    const row = logits.subarray(base + w.rows[r]! * vocab, base + (w.rows[r]! + 1) * vocab);
    out.counts[p] = logitsRowTopK(row, out.k, out.tokens, out.probs, p * out.k, scratch);
  }
}
