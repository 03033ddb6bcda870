/**
 * The longest pre-tokenized piece, in UTF-8 bytes, that is byte-pair encoded whole. Longer
 * pieces (text without spaces: 1 MB of `a`, of NUL bytes, a base64 blob) are cut into
 * chunks of at most this many bytes first, so that any input costs linear time: BPE is
 * quadratic in the piece length and tiktoken's WebAssembly traps on megabyte pieces.
 * Part of the tokenization rule (docs/SPEC.md §12): generation and detection apply it alike.
 *
 * @example
 * ```ts
 * 'a'.repeat(MAX_PIECE_BYTES + 1); // one piece of 257 bytes: encoded as chunks of 256 and 1
 * ```
 */
export const MAX_PIECE_BYTES = 256;

// The encodings' pre-tokenization patterns (tiktoken's `pat_str`) in JavaScript syntax: the
// inline `(?i:...)` groups written out, `\s` as Unicode White_Space as in tiktoken's Rust regex.
const WS = String.raw`\p{White_Space}`;
const NWS = String.raw`\P{White_Space}`;
const SUFFIX = String.raw`'(?:[sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])`;
const UPPER = String.raw`[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`;
const LOWER = String.raw`[\p{Ll}\p{Lm}\p{Lo}\p{M}]`;
const O200K = [
  String.raw`[^\r\n\p{L}\p{N}]?${UPPER}*${LOWER}+(?:${SUFFIX})?`,
  String.raw`[^\r\n\p{L}\p{N}]?${UPPER}+${LOWER}*(?:${SUFFIX})?`,
  String.raw`\p{N}{1,3}`,
  String.raw` ?[^${WS}\p{L}\p{N}]+[\r\n/]*`,
  String.raw`${WS}*[\r\n]+`,
  String.raw`${WS}+(?!${NWS})`,
  String.raw`${WS}+`,
].join('|');
const CL100K = [
  SUFFIX,
  String.raw`[^\r\n\p{L}\p{N}]?\p{L}+`,
  String.raw`\p{N}{1,3}`,
  String.raw` ?[^${WS}\p{L}\p{N}]+[\r\n]*`,
  String.raw`${WS}*[\r\n]+`,
  String.raw`${WS}+(?!${NWS})`,
  String.raw`${WS}+`,
].join('|');
const GPT2 = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^${WS}\p{L}\p{N}]+|${WS}+(?!${NWS})|${WS}+`;
const PATTERNS: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  o200k_base: O200K,
  cl100k_base: CL100K,
  p50k_base: GPT2,
  r50k_base: GPT2,
  gpt2: GPT2,
});

/**
 * Encodes `text` with `encode` (the encoding's plain `encode_ordinary`) under the piece-length
 * bound: identical to `encode(text)` when no pre-tokenized piece exceeds
 * {@link MAX_PIECE_BYTES}; otherwise every long piece is cut into chunks of at most that many
 * bytes (at code-point boundaries), each chunk is encoded on its own, and the text between
 * long pieces is encoded in segments whose pieces are exactly those of the whole text.
 *
 * @example
 * ```ts
 * const ids = boundedEncode('\0'.repeat(1 << 20), 'o200k_base', (s) => encoder.encode_ordinary(s));
 * ```
 */
export function boundedEncode(text: string, encoding: string, encode: (text: string) => Uint32Array): Uint32Array {
  const pieces = longPieceSplit(text, encoding);
  if (!pieces) return encode(text);
  const parts: Uint32Array[] = [];
  let start = 0;
  let first = 0; // index of the first piece of the current run of short pieces
  for (let i = 0; i < pieces.length; i++) {
    const [a, b] = pieces[i]!;
    if (utf8Length(text, a, b) <= MAX_PIECE_BYTES) continue;
    encodeRun(text, pieces, first, i, encode, parts);
    for (const chunk of chunks(text, a, b)) parts.push(encode(chunk));
    start = b;
    first = i + 1;
  }
  if (start < text.length) parts.push(encode(text.slice(start)));
  return concat(parts);
}

/**
 * True when some pre-tokenized piece of `text` is longer than {@link MAX_PIECE_BYTES}, that is
 * when the bound changes how `text` is encoded.
 *
 * @example
 * ```ts
 * hasLongPiece('x'.repeat(300), 'o200k_base'); // true
 * ```
 */
export function hasLongPiece(text: string, encoding: string): boolean {
  return longPieceSplit(text, encoding) !== undefined;
}

// The pieces of `text` if one is over the bound, else undefined (the common, fast case).
function longPieceSplit(text: string, encoding: string): [number, number][] | undefined {
  const pattern = PATTERNS[encoding];
  if (pattern === undefined || !mayHaveLongPiece(text, pattern === GPT2)) return undefined;
  const pieces = splitPieces(text, new RegExp(pattern, 'gu'));
  return pieces.some(([a, b]) => utf8Length(text, a, b) > MAX_PIECE_BYTES) ? pieces : undefined;
}

/**
 * The pieces of `text` (start, end offsets in UTF-16 units) under the encoding's
 * pre-tokenization pattern, as tiktoken splits them before byte-pair encoding.
 *
 * @example
 * ```ts
 * prePieces('Hello world', 'o200k_base'); // [[0, 5], [5, 11]]
 * ```
 */
export function prePieces(text: string, encoding: string): [number, number][] {
  const pattern = PATTERNS[encoding];
  if (pattern === undefined) throw new Error(`no pre-tokenization pattern for ${encoding}`);
  return splitPieces(text, new RegExp(pattern, 'gu'));
}

function splitPieces(text: string, re: RegExp): [number, number][] {
  const out: [number, number][] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

// Short pieces [first, end) before a long one. Encoding them as one text gives the same pieces
// unless the run ends in white space (whose split looks one character ahead): those trailing
// pieces are encoded one by one, which is always exact.
function encodeRun(
  text: string,
  pieces: [number, number][],
  first: number,
  end: number,
  encode: (text: string) => Uint32Array,
  parts: Uint32Array[],
): void {
  let cut = end;
  while (cut > first && isWhiteSpace(text.charCodeAt(pieces[cut - 1]![1] - 1))) cut--;
  if (cut > first) parts.push(encode(text.slice(pieces[first]![0], pieces[cut - 1]![1])));
  for (let i = cut; i < end; i++) parts.push(encode(text.slice(pieces[i]![0], pieces[i]![1])));
}

function* chunks(text: string, a: number, b: number): Generator<string> {
  let start = a;
  let bytes = 0;
  for (let i = a; i < b;) {
    const c = text.codePointAt(i)!;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    const units = c >= 0x10000 ? 2 : 1;
    if (bytes + size > MAX_PIECE_BYTES) {
      yield text.slice(start, i);
      start = i;
      bytes = 0;
    }
    bytes += size;
    i += units;
  }
  if (start < b) yield text.slice(start, b);
}

function utf8Length(text: string, a: number, b: number): number {
  if ((b - a) * 3 <= MAX_PIECE_BYTES) return b - a; // cannot exceed the bound; exact value not needed
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? 4 : c >= 0xdc00 && c < 0xe000 ? 0 : 3;
  }
  return n;
}

function isWhiteSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 0x85 || isOtherSpace(c);
}

// White_Space characters above U+0084 other than U+0085.
function isOtherSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

// A cheap, conservative test. Every piece is one leading character plus a run of one class:
// white space; letters (and marks, apostrophes for the 's suffixes); punctuation (with CR, LF
// and '/', which a punctuation piece may absorb); digits only in the GPT-2 family (o200k and
// cl100k split numbers in threes). Non-ASCII characters may be letters, marks or punctuation,
// so they continue both runs. No long run means no long piece.
function mayHaveLongPiece(text: string, digitRuns: boolean): boolean {
  const limit = Math.floor((MAX_PIECE_BYTES - 4) / 3);
  let spaces = 0;
  let letters = 0;
  let punct = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isWhiteSpace(c)) {
      spaces++;
      const newline = c === 10 || c === 13;
      letters = 0;
      punct = newline ? punct + 1 : 0;
      digits = 0;
    } else if (c >= 0x80) {
      spaces = 0;
      letters++;
      punct++;
      digits = 0;
    } else {
      spaces = 0;
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
      const digit = c >= 48 && c <= 57;
      letters = letter || c === 39 ? letters + 1 : 0;
      punct = !letter && !digit ? punct + 1 : 0;
      digits = digit ? digits + 1 : 0;
    }
    if (spaces > limit || letters > limit || punct > limit || (digitRuns && digits > limit)) return true;
  }
  return false;
}

function concat(parts: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
