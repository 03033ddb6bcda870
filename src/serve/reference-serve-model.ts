import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { KneserNeyModel } from '../model/kneser-ney-model.js';
import { getTokenizer } from '../key/tokenizer.js';
import { generateTokens } from '../watermark/generate.js';
import type { GeneratedPiece, GenerationRequest, ServeModel } from './serve-model.js';

// Generation is synchronous CPU work; give other requests (and stream writes) a turn this often.
const SLICE_MS = 5;

/**
 * The embedded reference model (Kneser-Ney over tiktoken ids) as a server model named
 * `reference`. At temperature 1 and top_p 1 it samples through the exact rejection fast path
 * (microseconds per token); other settings go through full logits (milliseconds per token).
 *
 * @example
 * ```ts
 * const model = referenceServeModel(await loadOrTrainReferenceModel(), 'o200k_base');
 * ```
 */
export function referenceServeModel(model: KneserNeyModel, tokenizerName: string): ServeModel {
  const tokenizer = getTokenizer(tokenizerName);
  return {
    id: 'reference',
    tokenizer: tokenizerName,
    vocabSize: model.vocabSize,
    encode: (text) => tokenizer.encode(text),
    async *generate(request: GenerationRequest): AsyncGenerator<GeneratedPiece> {
      const decoder = new TextDecoder('utf-8');
      const tokens = generateTokens(model, request.promptIds, {
        maxTokens: request.maxTokens,
        watermark: request.watermark,
        temperature: request.temperature,
        topP: request.topP,
        rng: request.seed,
      });
      let slice = performance.now();
      for await (const id of tokens) {
        yield { id, text: decoder.decode(tokenizer.tokenBytes(id), { stream: true }) };
        if (request.signal?.aborted) return;
        if (performance.now() - slice > SLICE_MS) {
          await yieldToEventLoop();
          slice = performance.now();
        }
      }
      const rest = decoder.decode();
      if (rest) yield { id: undefined, text: rest };
    },
    close: async () => undefined,
  };
}
