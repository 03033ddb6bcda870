import type { Tokenizer } from '../key/tokenizer.js';

/**
 * Character spans (UTF-16 offsets into `text`) of each token of `ids`, where `ids` is the
 * tokenization of `text`. A token that splits a multi-byte character gets the span of the
 * characters its bytes touch.
 *
 * @example
 * ```ts
 * const ids = tok.encode('Hello world');
 * tokenCharSpans(tok, ids, 'Hello world'); // { starts: [0, 5], ends: [5, 11] }
 * ```
 */
export function tokenCharSpans(tokenizer: Tokenizer, ids: ArrayLike<number>, text: string): { starts: Uint32Array; ends: Uint32Array } {
  const { floor, ceil } = byteToCharOffsets(text);
  const last = floor.length - 1;
  const starts = new Uint32Array(ids.length);
  const ends = new Uint32Array(ids.length);
  let byte = 0;
  for (let i = 0; i < ids.length; i++) {
    starts[i] = floor[Math.min(byte, last)]!;
    byte += tokenizer.tokenBytes(ids[i]!).length;
    ends[i] = ceil[Math.min(byte, last)]!;
  }
  return { starts, ends };
}

// For each UTF-8 byte offset b (0 .. byteLength): floor[b] = UTF-16 offset of the character
// containing byte b, ceil[b] = the first character boundary at or after b.
function byteToCharOffsets(text: string): { floor: Uint32Array; ceil: Uint32Array } {
  const floor: number[] = [];
  const ceil: number[] = [];
  let offset = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) {
      floor.push(offset);
      ceil.push(k === 0 ? offset : offset + ch.length);
    }
    offset += ch.length;
  }
  floor.push(offset);
  ceil.push(offset);
  return { floor: Uint32Array.from(floor), ceil: Uint32Array.from(ceil) };
}
