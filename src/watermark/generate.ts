import { RadiomarkError } from '../base/errors.js';
import type { LanguageModel } from '../model/language-model.js';
import { sampleLogits, toRandomSource, type SampleOptions } from '../schemes/sampler.js';
import type { Tokenizer } from '../key/tokenizer.js';
import type { Watermark } from './watermark.js';

/** Options of {@link generateTokens}. */
export interface GenerateOptions extends SampleOptions {
  /** Number of tokens to generate. */
  maxTokens: number;
  /** Watermark to apply; `null` or omitted generates without one. */
  watermark?: Watermark | null;
  /** Stop after emitting any of these token ids. */
  stopTokens?: readonly number[];
}

/**
 * Streams tokens from a model, watermarked when a watermark is given. The seeded `rng`
 * makes runs reproducible.
 *
 * @example
 * ```ts
 * for await (const id of generateTokens(model, promptIds, { maxTokens: 200, watermark: wm, rng: 7 })) {
 *   ids.push(id);
 * }
 * ```
 */
export async function* generateTokens(
  model: LanguageModel,
  prompt: ArrayLike<number>,
  options: GenerateOptions,
): AsyncGenerator<number, void, undefined> {
  const { maxTokens, watermark, stopTokens = [] } = options;
  if (!Number.isInteger(maxTokens) || maxTokens < 0) {
    throw new RadiomarkError('INVALID_ARGUMENT', `maxTokens must be an integer >= 0 (got ${String(maxTokens)})`);
  }
  if (watermark && watermark.vocabSize !== model.vocabSize) {
    throw new RadiomarkError('VOCAB_MISMATCH', `model has ${model.vocabSize} logits but the watermark expects ${watermark.vocabSize}`);
  }
  const rng = toRandomSource(options.rng);
  const context = Array.from(prompt);
  const sampleNext = model.sampleNext?.bind(model);
  const untruncated = (options.temperature ?? 1) === 1 && !options.topK && (options.topP ?? 1) === 1;
  // The exact rejection shortcut exists for KGW; distortion-free schemes need every probability.
  const fast = sampleNext !== undefined && untruncated && (!watermark || watermark.params.scheme === 'kgw');
  const logits = new Float32Array(fast ? 0 : model.vocabSize);
  for (let step = 0; step < maxTokens; step++) {
    let token: number;
    if (fast) {
      // Same distribution as the logits path below, without touching all V logits.
      const draw = () => sampleNext!(context, rng);
      token = watermark ? watermark.sampleByRejection(context, draw, rng) : draw();
    } else {
      model.nextLogits(context, logits);
      token = watermark ? watermark.sample(context, logits, { ...options, rng }) : sampleLogits(logits, options, rng);
    }
    context.push(token);
    yield token;
    if (stopTokens.includes(token)) return;
  }
}

/**
 * Streams text: like {@link generateTokens}, decoded incrementally (multi-byte characters
 * split across tokens are held back until complete).
 *
 * @example
 * ```ts
 * for await (const chunk of generateText(model, tokenizer, 'Once upon a time', { maxTokens: 50, watermark: wm })) {
 *   process.stdout.write(chunk);
 * }
 * ```
 */
export async function* generateText(
  model: LanguageModel,
  tokenizer: Tokenizer,
  prompt: string,
  options: GenerateOptions,
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  for await (const token of generateTokens(model, tokenizer.encode(prompt), options)) {
    const chunk = decoder.decode(tokenizer.tokenBytes(token), { stream: true });
    if (chunk) yield chunk;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
