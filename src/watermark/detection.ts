import { RadiomarkError } from '../base/errors.js';
import type { GreenList } from '../schemes/green-list.js';
import type { WatermarkKey } from '../key/key.js';
import { checkAlpha, detectionResult, type DetectionResult } from '../detect/detection-result.js';
import { ScoreTape } from '../detect/score-tape.js';
import type { HashBatch } from '../detect/first-occurrences.js';
import { scanWindows } from '../detect/windowed.js';
import { checkDedup, optionsObject } from './inputs.js';
import { readOntoTape } from './tape-reader.js';
import { tokenDetails } from './token-details.js';
import { DEFAULT_ALPHA } from './default-alpha.js';
import type { DetectInput, DetectOptions, WatermarkDetection } from './types.js';

/** What detection needs: the key, its green list, and the input-to-ids conversion. */
export interface DetectionParts {
  key: WatermarkKey;
  greenList: GreenList;
  toIds: (input: DetectInput, what: string) => Uint32Array;
  /** Sorting buffers reused by every single-text detection (detection is synchronous). */
  sortBuffers: HashBatch;
}

/**
 * The detection side of a watermark: one text, a batch (separate or pooled), or the best span.
 *
 * @example
 * ```ts
 * const detection = createDetection({ key, greenList, toIds, sortBuffers: new HashBatch() });
 * detection.detect(text).log10PValue;
 * ```
 */
export function createDetection(parts: DetectionParts): WatermarkDetection {
  const { key, greenList, toIds, sortBuffers } = parts;
  const result = (tape: ScoreTape, alpha: number): DetectionResult =>
    detectionResult({
      scoring: greenList.scoring,
      keyId: key.id,
      tokens: tape.tokens,
      scored: tape.scored,
      green: tape.green,
      score: tape.score,
      alpha,
      dedup: tape.dedup,
    });

  const detectOne = (input: DetectInput, options: DetectOptions | undefined, withScores = false) => {
    const opts = optionsObject(options, 'detect options');
    const alpha = checkAlpha(opts.alpha ?? DEFAULT_ALPHA);
    const tape = new ScoreTape(greenList, checkDedup(opts.dedup), sortBuffers);
    const [read] = readOntoTape([input], opts, tape, toIds, { statuses: opts.details === true, scores: withScores });
    if (!read) throw new RadiomarkError('INVALID_ARGUMENT', 'nothing was read');
    const out = result(tape, alpha);
    if (opts.details && read.statuses) out.details = tokenDetails({ ...read, statuses: read.statuses }, key.params.tokenizer);
    return { out, scores: read.scores };
  };

  return {
    detect: (input, opts) => detectOne(input, opts).out,
    detectBatch: ((inputs: readonly DetectInput[], options?: DetectOptions & { pool?: boolean }) => {
      if (!Array.isArray(inputs)) throw new RadiomarkError('INVALID_ARGUMENT', 'detectBatch expects an array of inputs');
      const opts = optionsObject(options, 'detectBatch options');
      if (!opts.pool) return inputs.map((input) => detectOne(input, opts).out);
      // A pooled test of nothing has no p-value; p = 1 would read as evidence of innocence.
      if (inputs.length === 0) throw new RadiomarkError('EMPTY_INPUT', 'detectBatch: no inputs to pool: nothing to detect');
      const alpha = checkAlpha(opts.alpha ?? DEFAULT_ALPHA);
      const tape = new ScoreTape(greenList, checkDedup(opts.dedup));
      readOntoTape(inputs, opts, tape, toIds);
      return result(tape, alpha);
    }) as WatermarkDetection['detectBatch'],
    detectSpan(input, options) {
      const opts = optionsObject(options, 'detectSpan options');
      const { out, scores } = detectOne(input, opts, true);
      const span = scanWindows(scores ?? new Float64Array(0), greenList.scoring, opts.minScored);
      return { ...out, span };
    },
  };
}
