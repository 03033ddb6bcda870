// Writes a tiny random-weight Llama model as a GGUF file (F32 tensors, a byte-level BPE
// vocabulary of 256 byte tokens plus an end-of-text token), so that node-llama-cpp's real
// llama.cpp engine can generate with no downloaded weights. The model is noise, but noise with
// entropy: exactly what a watermark needs to act on. Its end-of-text logit is pinned very low
// (a constant residual dimension that attention and MLP never write to), so it never stops.
import { writeFileSync } from 'node:fs';
import { seededRandom } from '../../src/base/rng.js';

const EMBD = 32;
const FF = 64;
const HEADS = 2;
/** Byte tokens 0..255, then the end-of-text token. */
export const TINY_VOCAB = 257;
export const TINY_EOS = 256;

// GGUF value types.
const U32 = 4;
const I32 = 5;
const F32 = 6;
const STRING = 8;
const ARRAY = 9;

/** GPT-2's byte-to-unicode table: how byte-level BPE vocabularies spell raw bytes. */
export function byteTokens(): string[] {
  const printable = new Set<number>();
  for (let b = 0x21; b <= 0x7e; b++) printable.add(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.add(b);
  for (let b = 0xae; b <= 0xff; b++) printable.add(b);
  let extra = 0;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable.has(b) ? b : 256 + extra++));
}

class Writer {
  private readonly parts: Buffer[] = [];
  size = 0;
  push(buf: Buffer): void {
    this.parts.push(buf);
    this.size += buf.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  pad(alignment: number): void {
    const n = (alignment - (this.size % alignment)) % alignment;
    if (n) this.push(Buffer.alloc(n));
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

type Value =
  | { type: typeof U32 | typeof I32 | typeof F32; value: number }
  | { type: typeof STRING; value: string }
  | { type: typeof ARRAY; of: typeof STRING | typeof I32; values: (string | number)[] };

/** One weight tensor as written: ggml dims (dims[0] contiguous) and F32 data. */
export interface TinyTensor {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** Writes the model to `path`; the same `seed` gives the same weights, which it returns. */
export function writeTinyLlama(path: string, seed = 1): TinyTensor[] {
  const rng = seededRandom(seed);
  const gaussian = (sd: number) => sd * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const tensors: TinyTensor[] = [];
  // dims as ggml's ne: ne[0] is the contiguous (input) dimension.
  const tensor = (name: string, dims: number[], fill: (i: number, row: number, col: number) => number) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = fill(i, Math.floor(i / dims[0]!), i % dims[0]!);
    tensors.push({ name, dims, data });
  };
  const ones = () => 1;
  // Residual dimension 0 is 1 for every token and nothing writes to it (rows 0 of attn_output
  // and ffn_down are zero), so the final hidden state has h[0] > 0 and the EOS row can sink.
  tensor('token_embd.weight', [EMBD, TINY_VOCAB], (_i, _row, col) => (col === 0 ? 1 : gaussian(0.7)));
  tensor('output_norm.weight', [EMBD], ones);
  tensor('output.weight', [EMBD, TINY_VOCAB], (_i, row, col) =>
    row === TINY_EOS ? (col === 0 ? -200 : 0) : col === 0 ? 0 : gaussian(0.3),
  );
  tensor('blk.0.attn_norm.weight', [EMBD], ones);
  tensor('blk.0.attn_q.weight', [EMBD, EMBD], () => gaussian(0.2));
  tensor('blk.0.attn_k.weight', [EMBD, EMBD], () => gaussian(0.2));
  tensor('blk.0.attn_v.weight', [EMBD, EMBD], () => gaussian(0.2));
  tensor('blk.0.attn_output.weight', [EMBD, EMBD], (_i, row) => (row === 0 ? 0 : gaussian(0.2)));
  tensor('blk.0.ffn_norm.weight', [EMBD], ones);
  tensor('blk.0.ffn_gate.weight', [EMBD, FF], () => gaussian(0.2));
  tensor('blk.0.ffn_up.weight', [EMBD, FF], () => gaussian(0.2));
  tensor('blk.0.ffn_down.weight', [FF, EMBD], (_i, row) => (row === 0 ? 0 : gaussian(0.2)));

  const tokens = [...byteTokens(), '<|endoftext|>'];
  const kv: [string, Value][] = [
    ['general.architecture', { type: STRING, value: 'llama' }],
    ['general.name', { type: STRING, value: 'radiomark-tiny-random' }],
    ['general.alignment', { type: U32, value: 32 }],
    ['llama.context_length', { type: U32, value: 1024 }],
    ['llama.embedding_length', { type: U32, value: EMBD }],
    ['llama.block_count', { type: U32, value: 1 }],
    ['llama.feed_forward_length', { type: U32, value: FF }],
    ['llama.attention.head_count', { type: U32, value: HEADS }],
    ['llama.attention.head_count_kv', { type: U32, value: HEADS }],
    ['llama.rope.dimension_count', { type: U32, value: EMBD / HEADS }],
    ['llama.attention.layer_norm_rms_epsilon', { type: F32, value: 1e-5 }],
    ['tokenizer.ggml.model', { type: STRING, value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: STRING, value: 'default' }],
    ['tokenizer.ggml.tokens', { type: ARRAY, of: STRING, values: tokens }],
    ['tokenizer.ggml.token_type', { type: ARRAY, of: I32, values: tokens.map((_, i) => (i === TINY_EOS ? 3 : 1)) }],
    ['tokenizer.ggml.merges', { type: ARRAY, of: STRING, values: [] }],
    ['tokenizer.ggml.bos_token_id', { type: U32, value: TINY_EOS }],
    ['tokenizer.ggml.eos_token_id', { type: U32, value: TINY_EOS }],
  ];

  const w = new Writer();
  w.push(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kv.length);
  for (const [key, v] of kv) {
    w.str(key);
    w.u32(v.type);
    if ('values' in v) {
      w.u32(v.of);
      w.u64(v.values.length);
      for (const x of v.values) {
        if (v.of === STRING) w.str(x as string);
        else w.u32((x as number) >>> 0);
      }
    } else if (v.type === STRING) w.str(v.value);
    else if (v.type === F32) w.f32(v.value);
    else w.u32(v.value >>> 0);
  }
  let offset = 0;
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(0); // GGML_TYPE_F32
    w.u64(offset);
    offset += Math.ceil(t.data.byteLength / 32) * 32;
  }
  w.pad(32);
  for (const t of tensors) {
    w.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    w.pad(32);
  }
  writeFileSync(path, w.bytes());
  return tensors;
}

/** Shape of the tiny model, for reference implementations. */
export const TINY_SHAPE = { embd: EMBD, ff: FF, heads: HEADS, eps: 1e-5, ropeBase: 10000 };
