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
import { TokenChooser, type EngineSamplingOptions } from './engine-sampling.js';

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

const SAMPLING = 'WatermarkSamplingProcessor';

/**
 * A transformers.js `LogitsProcessor` for the token-choosing schemes (`gumbel`, `synthid`; a
 * `kgw` key works too): at each step it samples the next token of every batch row with
 * `watermark.sample` from that row's logits and ids (prompt included), then forces it: the
 * row becomes -Infinity everywhere except the chosen token (0), so `generate()`'s own sampler,
 * greedy or not, can only pick it. Pass it last in `logits_processor`.
 *
 * Sampling happens here: give temperature, top-k and top-p to this processor. transformers.js
 * runs its built-in processors (temperature included, when you pass one to `generate()`)
 * before this one, so a `generate()` temperature still scales the logits it samples from;
 * `generate()`'s top-k / top-p run after it and see only the forced token. Each row keeps its
 * context array between calls (O(1) work per token besides the sample itself); create one
 * processor per `generate()` call.
 *
 * @example
 * ```ts
 * import { LogitsProcessorList } from '@huggingface/transformers';
 * import { createWatermark, generateKey } from 'radiomark/core';
 * import { WatermarkSamplingProcessor } from 'radiomark/transformers';
 *
 * const wm = createWatermark(generateKey({ scheme: 'synthid' }), { vocabSize: model.config.vocab_size });
 * const logits_processor = new LogitsProcessorList();
 * logits_processor.push(new WatermarkSamplingProcessor(wm, { temperature: 0.8, topP: 0.95 }));
 * const out = await model.generate({ ...inputs, max_new_tokens: 200, do_sample: true, logits_processor });
 * ```
 */
export class WatermarkSamplingProcessor extends LogitsProcessor {
  /** The watermark that chooses each token. */
  readonly watermark: Watermark;
  private readonly chooser: TokenChooser;
  // One growing context per batch row, as plain numbers.
  private readonly contexts: number[][] = [];

  constructor(watermark: Watermark, options: EngineSamplingOptions = {}) {
    super();
    this.chooser = new TokenChooser(watermark, options, SAMPLING);
    this.watermark = watermark;
  }

  /** Chooses and forces the next token of each row of `logits` (shape [batch, vocab], float32). */
  override _call(input_ids: bigint[][], logits: Tensor): Tensor {
    const data = logits.data;
    if (!(data instanceof Float32Array)) {
      throw new RadiomarkError('INVALID_ARGUMENT', `${SAMPLING}: expected float32 logits (got ${logits.type})`);
    }
    const width = logits.dims[logits.dims.length - 1]!;
    if (!Array.isArray(input_ids) || data.length !== input_ids.length * width) {
      throw new RadiomarkError(
        'INVALID_ARGUMENT',
        `${SAMPLING}: logits of shape [${logits.dims.join(', ')}] do not match ${String(input_ids?.length)} input rows`,
      );
    }
    for (let row = 0; row < input_ids.length; row++) {
      const context = syncContext((this.contexts[row] ??= []), input_ids[row]!);
      this.chooser.choose(context, data.subarray(row * width, (row + 1) * width));
    }
    return logits;
  }
}

// Extends `context` to equal `ids` (bigint), appending only what is new when it is a prefix.
function syncContext(context: number[], ids: readonly bigint[]): number[] {
  const n = context.length;
  const extends_ = n <= ids.length && (n === 0 || context[n - 1] === Number(ids[n - 1]));
  if (!extends_) context.length = 0;
  for (let i = context.length; i < ids.length; i++) context.push(Number(ids[i]));
  return context;
}
