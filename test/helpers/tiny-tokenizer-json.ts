import { byteTokens } from './tiny-gguf.js';

// A tiny Hugging Face tokenizer.json (byte-level BPE, GPT-2 style): the 256 byte symbols, a
// few merges and an end-of-text token, for the tokenizer.json loading path.
const MERGES = ['Ġ t', 'h e', 'Ġt he', 'i n', 'Ġ a'];

/** The tokenizer.json object; its ids are 0..255 (bytes), 256.. (merges), then <|endoftext|>. */
export function tinyTokenizerJson(): object {
  const vocab: Record<string, number> = {};
  byteTokens().forEach((s, i) => (vocab[s] = i));
  MERGES.forEach((m, i) => (vocab[m.replace(' ', '')] = 256 + i));
  const eot = 256 + MERGES.length;
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: eot, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: null,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: MERGES,
    },
  };
}

/** Token ids of the tiny tokenizer (bytes, merges, end of text). */
export const TINY_TOKENIZER_SIZE = 256 + MERGES.length + 1;
