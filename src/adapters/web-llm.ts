/**
 * radiomark/web-llm: a stateful `LogitProcessor` for `@mlc-ai/web-llm` that watermarks what
 * the engine samples. Imports nothing from web-llm at run time (types only).
 *
 * @module
 */
import type { LogitProcessor } from '@mlc-ai/web-llm';
import { RadiomarkError } from '../base/errors.js';
import type { Watermark } from '../watermark/watermark.js';
import { assertLogitBias, biasEngineRow } from './engine-logits.js';
import { TokenChooser, type EngineSamplingOptions } from './engine-sampling.js';

const WHERE = 'WatermarkLogitProcessor';

/**
 * Options of {@link WatermarkLogitProcessor}.
 *
 * @example
 * ```ts
 * new WatermarkLogitProcessor(wm, { context: promptIds });
 * ```
 */
export interface WatermarkLogitProcessorOptions {
  /**
   * Token ids that precede the first sampled token (for example the tokenized prompt, when
   * you know it), so that the first tokens are watermarked too. Default: none.
   */
  context?: ArrayLike<number>;
}

/**
 * A web-llm `LogitProcessor` that adds the watermark's green-list bias to the logits on the
 * CPU before web-llm samples, and keeps the context itself: web-llm hands it each sampled
 * token (`processSampledToken`) but never the prompt. web-llm runs it first, before its
 * `logit_bias`, penalties, temperature and top-p, as KGW prescribes.
 *
 * Behaviour to know:
 * - The engine does not show the processor the prompt, so the first `window` tokens after a
 *   `resetChat()` are unbiased (unless you pass `context`); a detector that reads only the
 *   reply cannot score those tokens either.
 * - web-llm calls `resetState()` only from `resetChat()`: across the turns of one chat the
 *   context runs on from the previous reply, not from the new user message.
 * - Token ids are the model's own: create the watermark with the model's logits length
 *   (padding beyond `vocabSize` is left untouched) and detect on the reply's token ids.
 * - It registers per model (`logitProcessorRegistry`), and web-llm ignores registries passed
 *   to `CreateWebWorkerMLCEngine`: register it inside the worker.
 *
 * @example
 * ```ts
 * import { CreateMLCEngine } from '@mlc-ai/web-llm';
 * import { createWatermark, importKey } from 'radiomark/core';
 * import { WatermarkLogitProcessor } from 'radiomark/web-llm';
 *
 * const model = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
 * const processor = new WatermarkLogitProcessor(createWatermark(importKey(keyJson), { vocabSize: 128256 }));
 * const engine = await CreateMLCEngine(model, { logitProcessorRegistry: new Map([[model, processor]]) });
 * const reply = await engine.chat.completions.create({ messages: [{ role: 'user', content: 'Hi' }] });
 * processor.tokens; // the ids sampled since the last resetChat(), for wm.detect(ids)
 * ```
 */
export class WatermarkLogitProcessor implements LogitProcessor {
  /** The watermark applied at each step. */
  readonly watermark: Watermark;
  private readonly initial: Uint32Array;
  private ids: Uint32Array;
  private length: number;

  constructor(watermark: Watermark, options: WatermarkLogitProcessorOptions = {}) {
    assertLogitBias(watermark, WHERE);
    this.watermark = watermark;
    this.initial = Uint32Array.from(options.context ?? [], (id) => checkId(id));
    this.ids = new Uint32Array(Math.max(256, this.initial.length * 2));
    this.ids.set(this.initial);
    this.length = this.initial.length;
  }

  /** Ids sampled since construction or the last `resetState()` (a copy; `context` excluded). */
  get tokens(): Uint32Array {
    return this.ids.slice(this.initial.length, this.length);
  }

  /** Biases web-llm's CPU copy of the logits in place and returns it. */
  processLogits(logits: Float32Array): Float32Array {
    if (!(logits instanceof Float32Array)) throw new RadiomarkError('INVALID_ARGUMENT', `${WHERE}: logits must be a Float32Array`);
    const h = this.watermark.params.window;
    return biasEngineRow(this.watermark, this.ids.subarray(Math.max(0, this.length - h), this.length), logits, WHERE);
  }

  /** Appends the token web-llm sampled (and committed) to the context. */
  processSampledToken(token: number): void {
    if (this.length === this.ids.length) {
      const grown = new Uint32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = checkId(token);
  }

  /** Forgets the sampled tokens (web-llm calls this from `resetChat()`). */
  resetState(): void {
    this.length = this.initial.length;
  }
}

function checkId(id: number): number {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new RadiomarkError('INVALID_ARGUMENT', `${WHERE}: token id ${String(id)} is not a non-negative integer`);
  }
  return id;
}

const SAMPLING = 'WatermarkSamplingLogitProcessor';

/**
 * A web-llm `LogitProcessor` for the token-choosing schemes (`gumbel`, `synthid`; a `kgw` key
 * works too): `processLogits` samples the next token with `watermark.sample` from the CPU copy
 * of the logits and returns them forced (-Infinity everywhere but the chosen token, 0), so
 * web-llm's sampler, whatever its temperature, top-p, penalties or `logit_bias`, emits that
 * token; `processSampledToken` appends it to the context.
 *
 * Sampling happens here: give temperature, top-k and top-p to this processor (web-llm's own
 * settings only see the forced token). web-llm never shows a processor the prompt: pass
 * `context` (the prompt's ids) to watermark the first tokens; otherwise the first `window`
 * tokens after `resetChat()` are plain samples. Other behaviour as {@link WatermarkLogitProcessor}.
 *
 * @example
 * ```ts
 * const processor = new WatermarkSamplingLogitProcessor(createWatermark(gumbelKey, { vocabSize: 128256 }), { temperature: 0.7 });
 * const engine = await CreateMLCEngine(model, { logitProcessorRegistry: new Map([[model, processor]]) });
 * ```
 */
export class WatermarkSamplingLogitProcessor implements LogitProcessor {
  /** The watermark that chooses each token. */
  readonly watermark: Watermark;
  private readonly chooser: TokenChooser;
  private readonly initial: number[];
  private context: number[];

  constructor(watermark: Watermark, options: EngineSamplingOptions & WatermarkLogitProcessorOptions = {}) {
    this.chooser = new TokenChooser(watermark, options, SAMPLING);
    this.watermark = watermark;
    this.initial = Array.from(options.context ?? [], (id) => checkId(id));
    this.context = this.initial.slice();
  }

  /** Ids sampled since construction or the last `resetState()` (`context` excluded). */
  get tokens(): number[] {
    return this.context.slice(this.initial.length);
  }

  /** Chooses the next token and returns the logits forced to it (in place). */
  processLogits(logits: Float32Array): Float32Array {
    this.chooser.choose(this.context, logits);
    return logits;
  }

  /** Appends the token web-llm sampled (the forced one) to the context. */
  processSampledToken(token: number): void {
    this.context.push(checkId(token));
  }

  /** Forgets the sampled tokens (web-llm calls this from `resetChat()`); a new context array starts. */
  resetState(): void {
    this.context = this.initial.slice();
  }
}
