#!/usr/bin/env node
// Assembles the tiny WebAssembly SIMD128 module behind biasGreen / greenMask (src/prf/) by hand,
// byte by byte (no toolchain), and writes it as a base64 constant to
// src/prf/bias-wasm.generated.ts.
//
//   node scripts/build-wasm.mjs           # (re)write the generated file
//   node scripts/build-wasm.mjs --check   # exit 1 if the generated file is out of date
//
// Exports of the module (all addresses are byte offsets into the exported memory; every loop
// processes 4 tokens per iteration, so callers pad their buffers to a multiple of 16 bytes):
//
//   memory
//   bias(ptr, end, tok0, seedLo, seedHi, thr, delta: f32)
//       for each float lane at ptr..end (token ids tok0, tok0+1, ...): if mixer(seed, token) <u thr
//       then lane = lane + delta (f32 add) else lane unchanged (bit for bit).
//   mask(ptr, end, tok0, seedLo, seedHi, thr)
//       one byte per token at ptr..end (16 tokens per iteration): 1 if green else 0.
//
// The mixer (docs/SPEC.md §4), per 32-bit lane:
//   x = (tok ^ seedLo) * 0x9E3779B1; x ^= seedHi; x ^= x >>> 16; x *= 0x85EBCA6B;
//   x ^= x >>> 13; x *= 0xC2B2AE35; x ^= x >>> 16.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'src', 'prf', 'bias-wasm.generated.ts');

// ---- encoding helpers ---------------------------------------------------------------------

function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n) {
  // n: a JS number holding an int32.
  n |= 0;
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, body) => [id, ...uleb(body.length), ...body];
const name = (s) => vec([...Buffer.from(s, 'utf8')]);

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

// ---- instructions -------------------------------------------------------------------------

const get = (i) => [0x20, ...uleb(i)];
const set = (i) => [0x21, ...uleb(i)];
const i32c = (n) => [0x41, ...sleb(n)];
const i32add = [0x6a];
const i32geu = [0x4f];
const i32ltu = [0x49];
const brIf = (d) => [0x0d, ...uleb(d)];
const block = (body) => [0x02, 0x40, ...body, 0x0b];
const loop = (body) => [0x03, 0x40, ...body, 0x0b];
const simd = (op) => [0xfd, ...uleb(op)];
const memarg = (align, offset) => [...uleb(align), ...uleb(offset)];
const v128load = (offset = 0) => [...simd(0x00), ...memarg(4, offset)];
const v128store = (offset = 0) => [...simd(0x0b), ...memarg(4, offset)];
const v128const = (lanesI32) => {
  const b = Buffer.alloc(16);
  lanesI32.forEach((v, i) => b.writeInt32LE(v | 0, 4 * i));
  return [...simd(0x0c), ...b];
};
const i32x4splat = simd(0x11);
const f32x4splat = simd(0x13);
const i32x4geu = simd(0x40);
const i32x4ltu = simd(0x3a);
const v128and = simd(0x4e);
const v128xor = simd(0x51);
const bitselect = simd(0x52);
const i32x4shru = simd(0xad);
const i32x4add = simd(0xae);
const i32x4mul = simd(0xb5);
const f32x4add = simd(0xe4);
const i16x8narrowS = simd(0x85);
const i8x16narrowS = simd(0x65);

// ---- the mixer on a v128 of token ids -------------------------------------------------------

// Locals shared by both functions (after the parameters): see `mixerLocals`.
function mixer(L, tokExpr) {
  // leaves mixer(seed, tok) (4 x u32) on the stack
  return [
    ...tokExpr,
    ...get(L.lo),
    ...v128xor,
    ...get(L.c1),
    ...i32x4mul,
    ...get(L.hi),
    ...v128xor,
    ...set(L.x),
    ...get(L.x),
    ...get(L.x),
    ...i32c(16),
    ...i32x4shru,
    ...v128xor,
    ...get(L.c2),
    ...i32x4mul,
    ...set(L.x),
    ...get(L.x),
    ...get(L.x),
    ...i32c(13),
    ...i32x4shru,
    ...v128xor,
    ...get(L.c3),
    ...i32x4mul,
    ...set(L.x),
    ...get(L.x),
    ...get(L.x),
    ...i32c(16),
    ...i32x4shru,
    ...v128xor,
  ];
}

function setupMixer(L, P) {
  return [
    ...get(P.tok0),
    ...i32x4splat,
    ...v128const([0, 1, 2, 3]),
    ...i32x4add,
    ...set(L.tok),
    ...get(P.seedLo),
    ...i32x4splat,
    ...set(L.lo),
    ...get(P.seedHi),
    ...i32x4splat,
    ...set(L.hi),
    ...get(P.thr),
    ...i32x4splat,
    ...set(L.thr),
    ...i32c(0x9e3779b1),
    ...i32x4splat,
    ...set(L.c1),
    ...i32c(0x85ebca6b),
    ...i32x4splat,
    ...set(L.c2),
    ...i32c(0xc2b2ae35),
    ...i32x4splat,
    ...set(L.c3),
    ...i32c(4),
    ...i32x4splat,
    ...set(L.four),
  ];
}

const nextTok = (L) => [...get(L.tok), ...get(L.four), ...i32x4add, ...set(L.tok)];

// bias(ptr, end, tok0, seedLo, seedHi, thr, delta)
function biasFunc() {
  const P = { ptr: 0, end: 1, tok0: 2, seedLo: 3, seedHi: 4, thr: 5, delta: 6 };
  const L = { tok: 7, lo: 8, hi: 9, thr: 10, c1: 11, c2: 12, c3: 13, four: 14, x: 15, d: 16, a: 17 };
  const locals = [[...uleb(11), V128]];
  const body = [
    ...setupMixer(L, P),
    ...get(P.delta),
    ...f32x4splat,
    ...set(L.d),
    ...block([
      ...get(P.ptr),
      ...get(P.end),
      ...i32geu,
      ...brIf(0),
      ...loop([
        // stack: address for the store
        ...get(P.ptr),
        // a = load(ptr); value = bitselect(a, a + d, red) with red = mixer >=u thr
        ...get(P.ptr),
        ...v128load(),
        ...set(L.a),
        ...get(L.a),
        ...get(L.a),
        ...get(L.d),
        ...f32x4add,
        ...mixer(L, get(L.tok)),
        ...get(L.thr),
        ...i32x4geu,
        ...bitselect,
        ...v128store(),
        ...nextTok(L),
        ...get(P.ptr),
        ...i32c(16),
        ...i32add,
        ...set(P.ptr),
        ...get(P.ptr),
        ...get(P.end),
        ...i32ltu,
        ...brIf(0),
      ]),
    ]),
  ];
  const type = [0x60, ...vec([I32, I32, I32, I32, I32, I32, F32]), ...vec([])];
  return { type, code: [...vec(locals), ...body, 0x0b] };
}

// mask(ptr, end, tok0, seedLo, seedHi, thr): 16 bytes (tokens) per iteration.
function maskFunc() {
  const P = { ptr: 0, end: 1, tok0: 2, seedLo: 3, seedHi: 4, thr: 5 };
  const L = { tok: 6, lo: 7, hi: 8, thr: 9, c1: 10, c2: 11, c3: 12, four: 13, x: 14, one: 15 };
  const locals = [[...uleb(10), V128]];
  const green = () => [...mixer(L, get(L.tok)), ...get(L.thr), ...i32x4ltu, ...nextTok(L)];
  const body = [
    ...setupMixer(L, P),
    ...i32c(0x01010101),
    ...i32x4splat,
    ...set(L.one),
    ...block([
      ...get(P.ptr),
      ...get(P.end),
      ...i32geu,
      ...brIf(0),
      ...loop([
        ...get(P.ptr),
        ...green(),
        ...green(),
        ...i16x8narrowS,
        ...green(),
        ...green(),
        ...i16x8narrowS,
        ...i8x16narrowS,
        ...get(L.one),
        ...v128and,
        ...v128store(),
        ...get(P.ptr),
        ...i32c(16),
        ...i32add,
        ...set(P.ptr),
        ...get(P.ptr),
        ...get(P.end),
        ...i32ltu,
        ...brIf(0),
      ]),
    ]),
  ];
  const type = [0x60, ...vec([I32, I32, I32, I32, I32, I32]), ...vec([])];
  return { type, code: [...vec(locals), ...body, 0x0b] };
}

// ---- module ---------------------------------------------------------------------------------

function buildModule() {
  const funcs = [
    { name: 'bias', ...biasFunc() },
    { name: 'mask', ...maskFunc() },
  ];
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(funcs.map((f) => f.type))),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(1)]])), // memory: min 1 page, no max
    ...section(7, vec([[...name('memory'), 0x02, 0x00], ...funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])])),
    ...section(10, vec(funcs.map((f) => [...uleb(f.code.length), ...f.code]))),
  ];
  return Uint8Array.from(bytes);
}

const bytes = buildModule();
if (!WebAssembly.validate(bytes)) {
  console.error('build-wasm: the assembled module does not validate');
  process.exit(1);
}
const b64 = Buffer.from(bytes).toString('base64');
const lines = b64.match(/.{1,96}/g) ?? [];
const text = `// GENERATED by scripts/build-wasm.mjs: do not edit by hand; run \`node scripts/build-wasm.mjs\`.
// WebAssembly SIMD128 module (${bytes.length} bytes): exports memory, bias, mask (see the script).

/** Base64 of the biasGreen / greenMask WebAssembly module. */
export const BIAS_WASM_BASE64 =
${lines.map((l, i) => `  '${l}'${i === lines.length - 1 ? ';' : ' +'}`).join('\n')}
`;

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // no generated file yet: write it
  }
  if (current !== text) {
    console.error(`${target} is out of date: run node scripts/build-wasm.mjs`);
    process.exit(1);
  }
  console.log(`bias-wasm.generated.ts is up to date (${bytes.length} bytes)`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target} (${bytes.length} bytes)`);
}
