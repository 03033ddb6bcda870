// Shared by the engine adapters: apply one key's KGW bias to a logits row produced by an
// inference engine, whose length and token ids need not match the key's tokenizer.
import { RadiomarkError } from '../base/errors.js';
import type { Watermark } from '../watermark/watermark.js';

/**
 * Throws unless `watermark` can bias logits: only the KGW scheme works by adding a logit
 * bias; the distortion-free schemes (`gumbel`, `synthid`) choose the token themselves and
 * need `watermark.sample` instead of a logits hook.
 *
 * @example
 * ```ts
 * assertLogitBias(createWatermark(key, { vocabSize: 32000 }), 'WatermarkLogitsProcessor');
 * ```
 */
export function assertLogitBias(watermark: Watermark, where: string): void {
  if (watermark === null || typeof watermark !== 'object' || typeof watermark.bias !== 'function') {
    throw new RadiomarkError('INVALID_ARGUMENT', `${where}: expected a watermark from createWatermark(key, { vocabSize })`);
  }
  if (watermark.params.scheme !== 'kgw') {
    throw new RadiomarkError(
      'UNSUPPORTED',
      `${where}: scheme "${watermark.params.scheme}" chooses the token instead of biasing logits; use the adapter's ` +
        'token-choosing variant (WatermarkSamplingProcessor, WatermarkSamplingLogitProcessor, generateWatermarked)',
    );
  }
}

/**
 * Adds the watermark's green-list bias to one engine logits row, in place, seeded by `window`
 * (the last `params.window` token ids, or fewer at the start of a sequence).
 *
 * - A row longer than the watermark's vocabulary (models pad their output layer, e.g. to a
 *   multiple of 64) has its first `vocabSize` entries biased; the padding is left alone.
 * - A window holding an id outside the watermark's vocabulary (a padding or added token)
 *   leaves the row unbiased: the detector cannot score such a window either.
 * - A window shorter than the key's window leaves the row unbiased (nothing to seed from).
 *
 * @example
 * ```ts
 * biasEngineRow(wm, [464, 3290], logitsRow, 'my engine');
 * ```
 */
export function biasEngineRow(watermark: Watermark, window: ArrayLike<number>, row: Float32Array, where: string): Float32Array {
  const vocabSize = watermark.vocabSize;
  if (row.length < vocabSize) {
    throw new RadiomarkError(
      'VOCAB_MISMATCH',
      `${where}: the model produced ${row.length} logits but the watermark covers ${vocabSize} token ids; ` +
        `create it with createWatermark(key, { vocabSize: ${row.length} })`,
    );
  }
  for (let i = 0; i < window.length; i++) {
    const id = window[i]!;
    if (!(id >= 0 && id < vocabSize)) return row;
  }
  watermark.bias(window, row.length === vocabSize ? row : row.subarray(0, vocabSize));
  return row;
}
