import type { Watermark } from '../watermark/watermark.js';

/**
 * One generation, as the server asks a model for it.
 *
 * @example
 * ```ts
 * const request: GenerationRequest = { promptIds: model.encode('The'), maxTokens: 200, temperature: 1, topP: 1, seed: 7, watermark: null };
 * ```
 */
export interface GenerationRequest {
  /** The prompt, in the model's token ids. */
  promptIds: Uint32Array;
  maxTokens: number;
  temperature: number;
  topP: number;
  /** Sampler seed. */
  seed: number;
  /** The watermark (with the caller's account), or `null` for none. */
  watermark: Watermark | null;
  /** Set when the client went away: the model stops at the next token. */
  signal?: { readonly aborted: boolean };
}

/**
 * A generated token (`id`) and the text it completes (may be empty while a character is split).
 *
 * @example
 * ```ts
 * for await (const { id, text } of model.generate(request)) if (id !== undefined) ids.push(id);
 * ```
 */
export interface GeneratedPiece {
  /** Token id, or `undefined` for the decoder's final flush. */
  id: number | undefined;
  text: string;
}

/**
 * A model the server can answer with: the embedded reference model or a GGUF model.
 *
 * @example
 * ```ts
 * for await (const piece of model.generate({ promptIds: model.encode('The'), maxTokens: 20, temperature: 1, topP: 1, seed: 7, watermark: null })) {
 *   process.stdout.write(piece.text);
 * }
 * ```
 */
export interface ServeModel {
  /** Model id in `/v1/models` and the `model` field of requests. */
  readonly id: string;
  /** Name of the token ids' vocabulary (recorded in the account ledger). */
  readonly tokenizer: string;
  /** Logits length (the watermark's vocabulary size). */
  readonly vocabSize: number;
  /** Token ids of a text, as the model reads it. */
  encode(text: string): Uint32Array;
  /** Streams tokens; ends at `maxTokens`, at an end-of-generation token or when `signal` aborts. */
  generate(request: GenerationRequest): AsyncIterable<GeneratedPiece>;
  /** Releases native resources. */
  close(): Promise<void>;
}
