import { describe, expect, it } from 'vitest';
import { getTokenizer } from '../../src/index.js';
import { fastTextEncoder } from '../../src/node/fast-encoder.js';
import { humanParagraphs } from '../helpers/human-text.js';

describe('fastTextEncoder', () => {
  it('uses gpt-tokenizer when installed and gives exactly the ids of tiktoken encode_ordinary', async () => {
    await expect(import('gpt-tokenizer/encoding/o200k_base')).resolves.toBeDefined();
    const samples = [
      ...humanParagraphs(1200).slice(0, 300),
      'a <|endoftext|> b <|endofprompt|>',
      'Naïve café — 日本語, emoji 🎉🎉, tabs\tand  spaces\n\n\nnewlines',
      'function f(x) { return x ** 2; } // code 12345678901234567890',
    ];
    for (const name of ['o200k_base', 'cl100k_base']) {
      const fast = await fastTextEncoder(name);
      const reference = getTokenizer(name);
      for (const text of samples) expect(Array.from(fast(text))).toEqual(Array.from(reference.encode(text)));
    }
  });
});
