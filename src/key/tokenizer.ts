import { get_encoding, type Tiktoken, type TiktokenEncoding } from 'tiktoken';
import { RadiomarkError } from '../base/errors.js';
import { boundedEncode } from './bounded-encode.js';

/**
 * Turns text into token ids and back. Detection from text and generation use the tokenizer
 * named in the key, so that provider and investigator see the same ids.
 *
 * @example
 * ```ts
 * const tok = getTokenizer('o200k_base');
 * const ids = tok.encode('Hello world');
 * tok.decode(ids); // 'Hello world'
 * ```
 */
export interface Tokenizer {
  /** Encoding name, e.g. `o200k_base`. */
  readonly name: string;
  /** Highest token id + 1: the logits length a model over this tokenizer must produce. */
  readonly vocabSize: number;
  /**
   * Token ids of `text`, special-token markers treated as ordinary text, pre-tokenized pieces
   * longer than 256 bytes cut into chunks (see `boundedEncode`, docs/SPEC.md §12).
   */
  encode(text: string): Uint32Array;
  /** Text of `ids` (invalid UTF-8 sequences become U+FFFD; special ids decode to nothing). */
  decode(ids: ArrayLike<number>): string;
  /** UTF-8 bytes of one token (empty for special and unused ids). */
  tokenBytes(id: number): Uint8Array;
}

/**
 * Tiktoken encodings radiomark accepts, with their vocabulary sizes (highest id + 1).
 *
 * @example
 * ```ts
 * new Float32Array(TOKENIZER_VOCAB_SIZES.o200k_base); // logits for an o200k model
 * ```
 */
export const TOKENIZER_VOCAB_SIZES: Readonly<Record<string, number>> = Object.freeze(
  // No prototype: looking up "constructor" or "toString" finds nothing.
  Object.assign(Object.create(null) as Record<string, number>, {
    o200k_base: 200_019,
    cl100k_base: 100_277,
    p50k_base: 50_281,
    r50k_base: 50_257,
    gpt2: 50_257,
  }),
);

/** First id past the ordinary (byte-pair) tokens; ids from here up are special or unused. */
const ORDINARY_LIMIT: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, {
  o200k_base: 199_998,
  cl100k_base: 100_256,
});

const cache = new Map<string, Tokenizer>();

/**
 * The shared tokenizer for a tiktoken encoding name; one encoder per encoding is created
 * on first use and reused (each holds ~10 MB).
 *
 * @example
 * ```ts
 * getTokenizer('cl100k_base').encode('radiomark').length; // 3
 * ```
 */
export function getTokenizer(name: string): Tokenizer {
  let tokenizer = cache.get(name);
  if (!tokenizer) {
    tokenizer = createTiktokenTokenizer(name);
    cache.set(name, tokenizer);
  }
  return tokenizer;
}

function createTiktokenTokenizer(name: string): Tokenizer {
  const vocabSize = TOKENIZER_VOCAB_SIZES[name];
  if (vocabSize === undefined) {
    throw new RadiomarkError('TOKENIZER', `unknown tokenizer "${name}"; expected one of ${Object.keys(TOKENIZER_VOCAB_SIZES).join(', ')}`);
  }
  let encoder: Tiktoken;
  try {
    encoder = get_encoding(name as TiktokenEncoding);
  } catch (cause) {
    const why = cause instanceof Error ? `: ${cause.message.split('\n')[0]}` : '';
    throw new RadiomarkError('TOKENIZER', `could not load tokenizer "${name}"${why}`, { cause });
  }
  // ignoreBOM: a leading U+FEFF is text like any other, not a marker to drop.
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  const ordinaryLimit = ORDINARY_LIMIT[name] ?? vocabSize;
  const ordinaryOnly = (ids: ArrayLike<number>): Uint32Array =>
    Uint32Array.from(Array.prototype.filter.call(ids, (id: number) => id < ordinaryLimit) as number[]);
  const checkIds = (ids: ArrayLike<number>): void => {
    // tiktoken is left unusable after it throws, so validate before calling it.
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
        throw new RadiomarkError('TOKENIZER', `token id ${id} at index ${i} is outside ${name} (0..${vocabSize - 1})`);
      }
    }
  };
  return {
    name,
    vocabSize,
    encode: (text) => boundedEncode(text, name, (piece) => encoder.encode_ordinary(piece)),
    decode: (ids) => {
      checkIds(ids);
      // Special and unused ids have no text; they decode to nothing rather than crash tiktoken.
      return utf8.decode(encoder.decode(ordinaryOnly(ids)));
    },
    tokenBytes: (id) => {
      checkIds([id]);
      return id < ordinaryLimit ? encoder.decode_single_token_bytes(id) : new Uint8Array(0);
    },
  };
}
