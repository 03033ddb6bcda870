import { RadiomarkError } from '../base/errors.js';
import { getTokenizer, TOKENIZER_VOCAB_SIZES } from '../key/tokenizer.js';
import type { WatermarkParams } from '../key/params.js';
import type { Dedup } from '../detect/score-tape.js';
import type { DetectInput } from './types.js';

/**
 * The logits length a watermark expects: the given one, or the tokenizer's vocabulary size.
 *
 * @example
 * ```ts
 * resolveVocabSize(key.params, 32_000); // 32000
 * ```
 */
export function resolveVocabSize(params: WatermarkParams, vocabSize?: number): number {
  const size = vocabSize ?? TOKENIZER_VOCAB_SIZES[params.tokenizer];
  if (size === undefined || !Number.isInteger(size) || size < 2 || size > MAX_VOCAB_SIZE) {
    throw new RadiomarkError('INVALID_ARGUMENT', `vocabSize must be an integer in 2..${MAX_VOCAB_SIZE} (got ${String(size)})`);
  }
  return size;
}

/** The largest vocabulary a watermark accepts (2^24; real models stay under 2^18). */
export const MAX_VOCAB_SIZE = 2 ** 24;

/**
 * An options argument: `undefined` means none; anything but a plain object (`null`, a number)
 * is an `INVALID_ARGUMENT` error naming `what`.
 *
 * @example
 * ```ts
 * const opts = optionsObject(userOptions, 'detect options');
 * ```
 */
export function optionsObject<T extends object>(options: T | undefined, what: string): T | Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new RadiomarkError('INVALID_ARGUMENT', `${what} must be an object (got ${options === null ? 'null' : typeof options})`);
  }
  return options;
}

/**
 * Validates a de-duplication mode (default `tuple`).
 *
 * @example
 * ```ts
 * checkDedup(undefined); // 'tuple'
 * ```
 */
export function checkDedup(dedup: Dedup | undefined): Dedup {
  const mode = dedup ?? 'tuple';
  if (mode !== 'tuple' && mode !== 'window' && mode !== 'none') {
    throw new RadiomarkError('INVALID_ARGUMENT', `dedup must be "tuple", "window" or "none" (got ${String(dedup)})`);
  }
  return mode;
}

/**
 * Validates one token id against the vocabulary.
 *
 * @example
 * ```ts
 * checkToken(5, 100); // 5
 * ```
 */
export function checkToken(token: number, vocabSize: number): number {
  if (!Number.isInteger(token) || token < 0 || token >= vocabSize) {
    throw new RadiomarkError('INVALID_ARGUMENT', `token id ${String(token)} is outside the vocabulary (0..${vocabSize - 1})`);
  }
  return token;
}

/**
 * Validates a generation context. Only the last `window` tokens matter; validating them is
 * enough and keeps long contexts cheap.
 *
 * @example
 * ```ts
 * checkContext([1, 2, 3], 100);
 * ```
 */
export function checkContext(context: ArrayLike<number>, vocabSize: number): ArrayLike<number> {
  if (context === null || typeof context !== 'object' || !Number.isSafeInteger(context.length) || context.length < 0) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'context must be an array of token ids');
  }
  for (let i = Math.max(0, context.length - 8); i < context.length; i++) checkToken(context[i] as number, vocabSize);
  return context;
}

/**
 * Turns a detection input (text or ids) into validated token ids; `what` names it in errors.
 *
 * @example
 * ```ts
 * toTokenIds('Hello world', 'o200k', 200019, 'input');
 * ```
 */
export function toTokenIds(input: DetectInput, tokenizer: string, vocabSize: number, what: string): Uint32Array {
  if (typeof input === 'string') {
    if (input.length === 0) throw new RadiomarkError('EMPTY_INPUT', `${what} text is empty: nothing to detect`);
    return getTokenizer(tokenizer).encode(input);
  }
  if (input === null || typeof input !== 'object' || !Number.isSafeInteger(input.length) || input.length < 0) {
    throw new RadiomarkError('INVALID_ARGUMENT', `${what} must be a string or an array of token ids`);
  }
  if (input.length === 0) throw new RadiomarkError('EMPTY_INPUT', `${what} has no tokens: nothing to detect`);
  if (input instanceof Uint32Array) {
    // Already integers: only the range needs checking, and no copy is needed.
    for (let i = 0; i < input.length; i++) if (input[i]! >= vocabSize) checkToken(input[i]!, vocabSize);
    return input;
  }
  const ids = new Uint32Array(input.length);
  for (let i = 0; i < input.length; i++) ids[i] = checkToken(input[i] as number, vocabSize);
  return ids;
}
