/**
 * radiomark/transformers: a logits processor for `@huggingface/transformers` (transformers.js
 * 3 and 4) that watermarks what `model.generate()` samples.
 *
 * @module
 */
import { LogitsProcessor, type Tensor } from '@huggingface/transformers';
import { RadiomarkError } from '../base/errors.js';
import type { Watermark } from '../watermark/watermark.js';
import { assertLogitBias, biasEngineRow } from './engine-logits.js';

const WHERE = 'WatermarkLogitsProcessor';

/**
 * A transformers.js `LogitsProcessor` that adds the watermark's green-list bias to every
 * batch row's next-token logits, in place, seeded by that row's own previous token ids
 * (prompt included). Pass it in `logits_processor` to `generate()` (a `LogitsProcessorList`;
 * a plain array also works at run time). transformers.js runs the built-in processors first,
 * temperature included, then yours, then top-k in the sampler: the bias is added to the
 * temperature-scaled logits, so a green token gains a factor e^delta at any temperature.
 *
 * Token ids are the model's own: create the watermark with the model's logits length
 * (`model.config.vocab_size`, which may exceed the tokenizer's size), and detect on the
 * generated ids (`wm.detect(ids, { prompt: promptIds })`); text detection re-tokenizes with
 * the key's tiktoken encoding and only applies to models that use that encoding. Rows longer
 * than `vocabSize` have their padding left untouched; a window holding an id at or above
 * `vocabSize` leaves that step unbiased.
 *
 * @example
 * ```ts
 * import { AutoModelForCausalLM, AutoTokenizer, LogitsProcessorList } from '@huggingface/transformers';
 * import { createWatermark, importKey } from 'radiomark/core';
 * import { WatermarkLogitsProcessor } from 'radiomark/transformers';
 *
 * const model = await AutoModelForCausalLM.from_pretrained('onnx-community/Qwen2.5-0.5B-Instruct');
 * const tokenizer = await AutoTokenizer.from_pretrained('onnx-community/Qwen2.5-0.5B-Instruct');
 * const wm = createWatermark(importKey(keyJson), { vocabSize: model.config.vocab_size });
 * const logits_processor = new LogitsProcessorList();
 * logits_processor.push(new WatermarkLogitsProcessor(wm));
 * const inputs = tokenizer('Write a haiku about rivers.');
 * const out = await model.generate({ ...inputs, max_new_tokens: 200, do_sample: true, logits_processor });
 * const ids = out.tolist()[0].slice(inputs.input_ids.dims[1]).map(Number);
 * wm.detect(ids).log10PValue;
 * ```
 */
export class WatermarkLogitsProcessor extends LogitsProcessor {
  /** The watermark applied at each step. */
  readonly watermark: Watermark;
  // The seeding window of one row, as plain numbers (input ids arrive as bigint).
  private readonly window: number[];

  constructor(watermark: Watermark) {
    super();
    assertLogitBias(watermark, WHERE);
    this.watermark = watermark;
    this.window = new Array<number>(watermark.params.window);
  }

  /**
   * Biases each row of `logits` (shape [batch, vocab], float32) in place and returns it.
   * Called by transformers.js' `LogitsProcessorList` once per generated token.
   */
  override _call(input_ids: bigint[][], logits: Tensor): Tensor {
    const data = logits.data;
    if (!(data instanceof Float32Array)) {
      throw new RadiomarkError('INVALID_ARGUMENT', `${WHERE}: expected float32 logits (got ${logits.type})`);
    }
    const width = logits.dims[logits.dims.length - 1]!;
    if (!Array.isArray(input_ids) || data.length !== input_ids.length * width) {
      throw new RadiomarkError(
        'INVALID_ARGUMENT',
        `${WHERE}: logits of shape [${logits.dims.join(', ')}] do not match ${String(input_ids?.length)} input rows`,
      );
    }
    const h = this.watermark.params.window;
    for (let row = 0; row < input_ids.length; row++) {
      const ids = input_ids[row]!;
      // Only the last h ids seed the green list: convert those, not the whole history.
      const n = Math.min(h, ids.length);
      this.window.length = n;
      for (let j = 0; j < n; j++) this.window[j] = Number(ids[ids.length - n + j]);
      biasEngineRow(this.watermark, this.window, data.subarray(row * width, (row + 1) * width), WHERE);
    }
    return logits;
  }
}
