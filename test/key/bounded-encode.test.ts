import { get_encoding, type Tiktoken, type TiktokenEncoding } from 'tiktoken';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/base/rng.js';
import { hasLongPiece, MAX_PIECE_BYTES, prePieces } from '../../src/key/bounded-encode.js';
import { getTokenizer } from '../../src/key/tokenizer.js';
import { loadCorpusDocuments } from '../../src/node/corpora.js';
import { fastTextEncoder } from '../../src/node/fast-encoder.js';

// The piece-length bound of the tokenization rule (docs/SPEC.md §12, issue #13 item 4).
const raw: Record<string, Tiktoken> = {};
const rawOf = (name: string) => (raw[name] ??= get_encoding(name as TiktokenEncoding));
afterAll(() => Object.values(raw).forEach((e) => e.free()));
const bytes = (s: string) => new TextEncoder().encode(s).length;

// The rule as SPEC.md states it: every piece encoded alone; a piece over the bound cut into
// chunks of at most MAX_PIECE_BYTES bytes at code-point boundaries, each encoded alone.
function reference(text: string, name: string): number[] {
  const enc = rawOf(name);
  const out: number[] = [];
  for (const [a, b] of prePieces(text, name)) {
    const piece = text.slice(a, b);
    if (bytes(piece) <= MAX_PIECE_BYTES) out.push(...enc.encode_ordinary(piece));
    else {
      let chunk = '';
      for (const ch of piece) {
        if (bytes(chunk + ch) > MAX_PIECE_BYTES) {
          out.push(...enc.encode_ordinary(chunk));
          chunk = '';
        }
        chunk += ch;
      }
      out.push(...enc.encode_ordinary(chunk));
    }
  }
  return out;
}

const ALPHABET = [
  'a',
  'B',
  'é',
  '日',
  '🎉',
  '\0',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '/',
  '!',
  '7',
  "'s",
  '\u00a0',
  '\u0085',
  '\ufeff',
  '\u0301',
];
function hostile(rng: () => number): string {
  let s = '';
  while (s.length < 1500) {
    const unit = ALPHABET[Math.floor(rng() * ALPHABET.length)]!;
    s += rng() < 0.15 ? unit.repeat(1 + Math.floor(rng() * 400)) : unit;
  }
  return s;
}

describe('the piece-length bound', () => {
  it('leaves the corpora exactly as tiktoken encodes them (no piece over the bound but those counted)', () => {
    const docs = loadCorpusDocuments();
    // The three corpora hold no piece over 256 bytes in any encoding: nothing changes for them.
    for (const name of ['o200k_base', 'cl100k_base', 'r50k_base']) {
      expect(docs.filter((d) => hasLongPiece(d.text, name)).map((d) => d.id)).toEqual([]);
    }
    const tok = getTokenizer('o200k_base');
    for (const doc of docs.filter((_, i) => i % 50 === 0)) {
      expect(Array.from(tok.encode(doc.text))).toEqual(Array.from(rawOf('o200k_base').encode_ordinary(doc.text)));
    }
  });

  it('splits text into the same pieces as tiktoken (per-piece encoding equals whole-text encoding)', () => {
    const text = loadCorpusDocuments({ corpora: ['moby-dick'] })
      .slice(0, 40)
      .map((d) => d.text)
      .join('\n\n')
      .slice(0, 150_000);
    for (const name of ['o200k_base', 'cl100k_base', 'r50k_base']) {
      const perPiece = prePieces(text, name).flatMap(([a, b]) => Array.from(rawOf(name).encode_ordinary(text.slice(a, b))));
      expect(perPiece).toEqual(Array.from(rawOf(name).encode_ordinary(text)));
    }
  });

  it('encodes hostile text as the rule says, the same with tiktoken and gpt-tokenizer', async () => {
    const rng = seededRandom(413);
    for (const name of ['o200k_base', 'cl100k_base', 'p50k_base']) {
      const tok = getTokenizer(name);
      const fast = await fastTextEncoder(name);
      for (let i = 0; i < 15; i++) {
        const text = hostile(rng);
        const want = reference(text, name);
        expect(Array.from(tok.encode(text))).toEqual(want);
        expect(Array.from(fast(text))).toEqual(want);
        expect(tok.decode(tok.encode(text))).toBe(text);
      }
    }
  });

  it('turns a mebibyte of NUL bytes or of one letter into ids that decode back', () => {
    const tok = getTokenizer('o200k_base');
    for (const text of ['\0'.repeat(1 << 20), 'a'.repeat(1 << 20), '🎉'.repeat(1 << 18)]) {
      const ids = tok.encode(text);
      expect(ids.length).toBeGreaterThan(0);
      expect(tok.decode(ids)).toBe(text);
    }
    const a300 = tok.encode('a'.repeat(300));
    expect(hasLongPiece('a'.repeat(257), 'o200k_base')).toBe(true);
    expect(hasLongPiece('a'.repeat(256), 'o200k_base')).toBe(false);
    expect(Array.from(a300)).toEqual([
      ...rawOf('o200k_base').encode_ordinary('a'.repeat(256)),
      ...rawOf('o200k_base').encode_ordinary('a'.repeat(44)),
    ]);
  });
});
