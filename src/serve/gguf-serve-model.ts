import { basename } from 'node:path';
import { getLlama, type Llama, type LlamaContext, type LlamaModel, type Token } from 'node-llama-cpp';
import { RadiomarkError } from '../base/errors.js';
import { WatermarkTokenBias } from '../adapters/node-llama-cpp.js';
import { ApiError } from './api-error.js';
import type { GeneratedPiece, GenerationRequest, ServeModel } from './serve-model.js';

/**
 * Options of {@link openGgufServeModel}.
 *
 * @example
 * ```ts
 * const options: GgufServeOptions = { sequences: 4, threads: 1 };
 * ```
 */
export interface GgufServeOptions {
  /** Parallel sequences of the llama.cpp context (at least the server's concurrency). */
  sequences: number;
  /** CPU threads (default 1: ggml's spinning workers starve each other on small machines). */
  threads?: number;
  /** Context size per sequence (default: the model's, at most 4096). */
  contextSize?: number;
}

/**
 * A GGUF model through node-llama-cpp (CPU build) as a server model, named after the file
 * (`model.gguf` is `model`). The watermark is applied with {@link WatermarkTokenBias} over
 * llama.cpp's own token ids (the key's vocabulary size is the model's n_vocab), pushing each
 * token before the next is sampled, so every window is exact. Detection must read the same
 * ids: tokenize the text with this model's tokenizer. The account ledger records llama.cpp
 * ids under the tokenizer name `gguf:<file name>`.
 *
 * @example
 * ```ts
 * const model = await openGgufServeModel('model.gguf', { sequences: 4 });
 * ```
 */
export async function openGgufServeModel(path: string, options: GgufServeOptions): Promise<ServeModel> {
  let llama: Llama | undefined;
  let model: LlamaModel | undefined;
  let context: LlamaContext;
  try {
    llama = await getLlama({ gpu: false, build: 'never', progressLogs: false });
    model = await llama.loadModel({ modelPath: path });
    const max = Math.min(model.trainContextSize, options.contextSize ?? 4096);
    context = await model.createContext({ sequences: options.sequences, contextSize: max, threads: options.threads ?? 1 });
  } catch (e) {
    await model?.dispose().catch(() => undefined);
    await llama?.dispose().catch(() => undefined);
    throw new RadiomarkError('MODEL', `cannot load GGUF model ${path}: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
  }
  const loaded = model;
  const vocabSize = loaded.fileInfo.metadata.tokenizer.ggml.tokens.length;
  const name = basename(path).replace(/\.gguf$/, '');
  return {
    id: name,
    tokenizer: `gguf:${name}`.slice(0, 64),
    vocabSize,
    encode: (text) => Uint32Array.from(loaded.tokenize(text)),
    generate: (request) => generate(loaded, context, request),
    async close() {
      await context.dispose();
      await loaded.dispose();
      await llama.dispose();
    },
  };
}

async function* generate(model: LlamaModel, context: LlamaContext, request: GenerationRequest): AsyncGenerator<GeneratedPiece> {
  const prompt = Array.from(request.promptIds) as Token[];
  const sequence = context.getSequence();
  try {
    const room = sequence.contextSize - prompt.length;
    if (room < 1) throw new ApiError(400, `the prompt (${prompt.length} tokens) does not fit the context (${sequence.contextSize})`);
    const maxTokens = Math.min(request.maxTokens, room);
    const bias = request.watermark ? new WatermarkTokenBias(model, request.watermark, { context: prompt }) : undefined;
    const tokens: Token[] = [];
    let sent = '';
    const evaluation = sequence.evaluate(prompt, {
      temperature: request.temperature,
      topP: request.topP,
      seed: request.seed,
      tokenBias: bias?.tokenBias,
    });
    for await (const token of evaluation) {
      if (model.tokenizer.isEogToken(token)) break;
      bias?.push(token);
      tokens.push(token);
      // Re-detokenize and send the new suffix; a trailing U+FFFD may be half a character.
      const text = model.detokenize(tokens);
      const ready = text.endsWith('\uFFFD') ? sent : text;
      yield { id: token, text: ready.startsWith(sent) ? ready.slice(sent.length) : '' };
      if (ready.startsWith(sent)) sent = ready;
      if (tokens.length >= maxTokens || request.signal?.aborted) break;
    }
    const text = model.detokenize(tokens);
    if (text.length > sent.length && text.startsWith(sent)) yield { id: undefined, text: text.slice(sent.length) };
  } finally {
    sequence.dispose();
  }
}
