import type { Tokenizer } from '../key/tokenizer.js';
import type { SuspectTokenizer } from './suspect-model.js';

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * A radiomark {@link Tokenizer} (a tiktoken encoding) seen as a suspect's tokenizer. A
 * token whose bytes are not complete UTF-8 characters has no text of its own.
 *
 * @example
 * ```ts
 * const tok = suspectTokenizer(getTokenizer('cl100k_base'));
 * tok.tokenText(tok.encode(' world')[0]!); // ' world'
 * ```
 */
export function suspectTokenizer(tokenizer: Tokenizer): SuspectTokenizer {
  return {
    name: tokenizer.name,
    vocabSize: tokenizer.vocabSize,
    encode: (text) => tokenizer.encode(text),
    tokenText(id) {
      if (!Number.isInteger(id) || id < 0 || id >= tokenizer.vocabSize) return undefined;
      const bytes = tokenizer.tokenBytes(id);
      if (bytes.length === 0) return undefined;
      try {
        return strict.decode(bytes);
      } catch {
        return undefined;
      }
    },
  };
}
