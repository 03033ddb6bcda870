import type { TopKRows } from '../radioactivity/reading-mode.js';

/**
 * The tokenizer of a suspect model: its own vocabulary, whatever the provider's.
 *
 * @example
 * ```ts
 * const tok: SuspectTokenizer = suspect.tokenizer;
 * tok.decode(tok.encode('Hello world')); // 'Hello world'
 * ```
 */
export interface SuspectTokenizer {
  /** Name shown in reports, e.g. `cl100k_base` or a tokenizer.json path. */
  readonly name: string;
  /** Number of token ids the tokenizer can produce (highest id + 1). */
  readonly vocabSize: number;
  /** Token ids of `text`, no special tokens added. */
  encode(text: string): Uint32Array;
  /**
   * The text one token adds after preceding text (its leading space included). Tokens that
   * are not text on their own (a part of a UTF-8 character, special tokens) give `undefined`.
   */
  tokenText(id: number): string | undefined;
}

/**
 * A suspect model read in its own vocabulary: for every requested position of one token
 * sequence, its top-k next-token distribution (probabilities normalised over the whole
 * vocabulary). Implementations run one forward pass per chunk of the sequence (batched),
 * not one per position.
 *
 * Contract (the validity of reading mode rests on it): row p is a function of
 * `ids[0..positions[p])` and of the model only, never of later ids.
 *
 * @example
 * ```ts
 * const rows = await suspect.predict(suspect.tokenizer.encode('The cat sat'), Uint32Array.of(1, 2), 8);
 * rows.tokens[0]; // the most likely token after the first token
 * ```
 */
export interface SuspectModel {
  /** What the model is (file path or `reference`), for reports. */
  readonly name: string;
  readonly tokenizer: SuspectTokenizer;
  /** Length of one distribution (logits per position); at least `tokenizer.vocabSize`. */
  readonly vocabSize: number;
  /** Longest sequence one forward pass accepts (`Infinity` for an n-gram model). */
  readonly contextLength: number;
  /** Top-k next-token distributions after `ids[0..positions[p])`, for each p (positions >= 1, increasing). */
  predict(ids: Uint32Array, positions: Uint32Array, k: number): Promise<TopKRows>;
  /** Frees native resources (sessions, contexts). */
  close?(): Promise<void>;
}

/**
 * Empty {@link TopKRows} for `rows` positions, filled by the readers.
 *
 * @example
 * ```ts
 * const out = allocateRows(3, 32);
 * ```
 */
export function allocateRows(rows: number, k: number): TopKRows & { counts: Uint32Array } {
  return { k, counts: new Uint32Array(rows), tokens: new Uint32Array(rows * k), probs: new Float64Array(rows * k) };
}
