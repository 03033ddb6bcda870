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
const i32x4eq = simd(0x37);
const v128or = simd(0x50);
const v128andnot = simd(0x4f);
const f32x4pmax = simd(0xeb);
const f32x4ne = simd(0x42);
const v128anyTrue = simd(0x53);
const selectOp = [0x1b];
const f32x4extract = (lane) => [...simd(0x1f), lane];
const f32max = [0x97];
const f32c = (x) => {
  const b = Buffer.alloc(4);
  b.writeFloatLE(x);
  return [0x43, ...b];
};
const v128load64zero = (offset = 0) => [...simd(0x5d), ...memarg(3, offset)];
const f64x2promoteLow = simd(0x5f);
const f64x2splat = simd(0x14);
const f64x2add = simd(0xf0);
const f64x2sub = simd(0xf1);
const f64x2mul = simd(0xf2);
const f64x2max = simd(0xf5);
const f64x2lt = simd(0x49);
const f64x2extract = (lane) => [...simd(0x21), lane];
const f64add = [0xa0];
const f64c = (x) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return [0x44, ...b];
};
const f64store = [0x39, 3, 0];
const i64x2add = simd(0xce);
const i64x2shl = simd(0xcb);
const v128constF64 = (a, b) => {
  const buf = Buffer.alloc(16);
  buf.writeDoubleLE(a, 0);
  buf.writeDoubleLE(b, 8);
  return [...simd(0x0c), ...buf];
};
const f64splatConst = (x) => v128constF64(x, x);
const F64 = 0x7c;

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
    ...(P.thr === undefined ? [] : [...get(P.thr), ...i32x4splat, ...set(L.thr)]),
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

// A loop over [P.ptr, P.end) in steps of `step` bytes; `body` leaves nothing on the stack and
// `advance` moves any other pointers.
function forRange(P, step, body, advance = []) {
  return block([
    ...get(P.ptr),
    ...get(P.end),
    ...i32geu,
    ...brIf(0),
    ...loop([
      ...body,
      ...advance,
      ...get(P.ptr),
      ...i32c(step),
      ...i32add,
      ...set(P.ptr),
      ...get(P.ptr),
      ...get(P.end),
      ...i32ltu,
      ...brIf(0),
    ]),
  ]);
}

const bump = (local, bytes) => [...get(local), ...i32c(bytes), ...i32add, ...set(local)];

// uniforms(ptr, end, tok0, seedLo, seedHi): the mixer value of each token as a u32 lane.
function uniformsFunc() {
  const P = { ptr: 0, end: 1, tok0: 2, seedLo: 3, seedHi: 4 };
  const L = { tok: 5, lo: 6, hi: 7, c1: 8, c2: 9, c3: 10, four: 11, x: 12 };
  const body = [...setupMixer(L, P), ...forRange(P, 16, [...get(P.ptr), ...mixer(L, get(L.tok)), ...v128store(), ...nextTok(L)])];
  const type = [0x60, ...vec([I32, I32, I32, I32, I32]), ...vec([])];
  return { type, code: [...vec([[...uleb(8), V128]]), ...body, 0x0b] };
}

// selfUniforms(ptr, end, tok0, seedLo, seedHi, rank, own, anchorRank, anchor): SelfHash. A
// token whose rank beats the window's anchor (smaller rank, ties to the smaller id) takes its
// own precomputed uniform own[v]; every other token the mixer under the context seed.
function selfUniformsFunc() {
  const P = { ptr: 0, end: 1, tok0: 2, seedLo: 3, seedHi: 4, rank: 5, own: 6, aRank: 7, anchor: 8 };
  const L = { tok: 9, lo: 10, hi: 11, c1: 12, c2: 13, c3: 14, four: 15, x: 16, ar: 17, an: 18, rk: 19 };
  const body = [
    ...setupMixer(L, P),
    ...get(P.aRank),
    ...i32x4splat,
    ...set(L.ar),
    ...get(P.anchor),
    ...i32x4splat,
    ...set(L.an),
    ...forRange(
      P,
      16,
      [
        ...get(P.ptr),
        ...get(P.own),
        ...v128load(),
        ...mixer(L, get(L.tok)),
        ...get(P.rank),
        ...v128load(),
        ...set(L.rk),
        ...get(L.rk),
        ...get(L.ar),
        ...i32x4ltu,
        ...get(L.rk),
        ...get(L.ar),
        ...i32x4eq,
        ...get(L.tok),
        ...get(L.an),
        ...i32x4ltu,
        ...v128and,
        ...v128or,
        ...bitselect,
        ...v128store(),
        ...nextTok(L),
      ],
      [...bump(P.rank, 16), ...bump(P.own, 16)],
    ),
  ];
  const type = [0x60, ...vec([I32, I32, I32, I32, I32, I32, I32, I32, I32]), ...vec([])];
  return { type, code: [...vec([[...uleb(11), V128]]), ...body, 0x0b] };
}

// maxf(ptr, end) -> f32: the largest float32 lane; NaN if any lane is NaN. pmax (one maxps)
// drops NaN, so NaN lanes are collected apart (x != x) and turn the result into NaN.
function maxFunc() {
  const P = { ptr: 0, end: 1 };
  const L = { acc: 2, nan: 3, x: 4 };
  const lane = (i) => [...get(L.acc), ...f32x4extract(i)];
  const body = [
    ...f32c(-Infinity),
    ...f32x4splat,
    ...set(L.acc),
    ...v128const([0, 0, 0, 0]),
    ...set(L.nan),
    ...forRange(P, 16, [
      ...get(P.ptr),
      ...v128load(),
      ...set(L.x),
      ...get(L.x),
      ...get(L.acc),
      ...f32x4pmax,
      ...set(L.acc),
      ...get(L.nan),
      ...get(L.x),
      ...get(L.x),
      ...f32x4ne,
      ...v128or,
      ...set(L.nan),
    ]),
    ...f32c(NaN),
    ...lane(0),
    ...lane(1),
    ...f32max,
    ...lane(2),
    ...lane(3),
    ...f32max,
    ...f32max,
    ...get(L.nan),
    ...v128anyTrue,
    ...selectOp,
  ];
  const type = [0x60, ...vec([I32, I32]), ...vec([F32])];
  return { type, code: [...vec([[...uleb(3), V128]]), ...body, 0x0b] };
}

// expw(ptr, end, dst, sums, max: f64, inv: f64) -> f64: for each float32 x at ptr..end (4 per
// iteration, two independent pairs), writes w = exp((x - max) * inv) as float64 at dst, the sum
// of each block of 1024 weights as a float64 at sums (the last block may be short), and returns
// the sum of all w. Arguments below -708 (and -Infinity) give 0. exp: k = round(x / ln 2) by the
// 1.5 * 2^52 shifter (its low mantissa bits are k), Cody-Waite reduction by fdlibm's split ln 2,
// Taylor polynomial of degree 12 on |r| <= ln(2)/2 (truncation < 2e-16), and 2^k from the
// shifter's bits. Within a few ulp of Math.exp.
const LOG2E = 1.4426950408889634;
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const EXP_FLOOR = -708;
const SHIFTER = 6755399441055744; // 1.5 * 2^52
const BLOCK_BYTES = 4096; // 1024 float32 inputs

function expFunc() {
  const P = { ptr: 0, end: 1, dst: 2, sums: 3, max: 4, inv: 5 };
  const L = { mx: 6, iv: 7, acc: 8, blk: 9, stop: 10 };
  const A = { x: 11, k: 12, r: 13, w: 14 };
  const B = { x: 15, k: 16, r: 17, w: 18 };
  const coeffs = [];
  let f = 1;
  for (let i = 0; i <= 12; i++) {
    if (i > 0) f *= i;
    coeffs.push(1 / f);
  }
  const shifterBits = new DataView(new Float64Array([SHIFTER]).buffer).getBigInt64(0, true);
  const i64pair = (n) => {
    const b = Buffer.alloc(16);
    b.writeBigInt64LE(n, 0);
    b.writeBigInt64LE(n, 8);
    return [...simd(0x0c), ...b];
  };
  // Two float32 at ptr + off -> two weights, left in R.w (and added to the block sum).
  const pair = (R, off) => {
    const horner = [...f64splatConst(coeffs[12])];
    for (let i = 11; i >= 0; i--) horner.push(...get(R.r), ...f64x2mul, ...f64splatConst(coeffs[i]), ...f64x2add);
    return [
      ...get(P.ptr),
      ...v128load64zero(off),
      ...f64x2promoteLow,
      ...get(L.mx),
      ...f64x2sub,
      ...get(L.iv),
      ...f64x2mul,
      ...set(R.x),
      // r holds the clamped argument for a moment; k the shifted value t = x log2e + 1.5 2^52
      ...get(R.x),
      ...f64splatConst(EXP_FLOOR),
      ...f64x2max,
      ...set(R.r),
      ...get(R.r),
      ...f64splatConst(LOG2E),
      ...f64x2mul,
      ...f64splatConst(SHIFTER),
      ...f64x2add,
      ...set(R.k),
      // r = x - kd ln2_hi - kd ln2_lo with kd = t - 1.5 2^52 (exactly k)
      ...get(R.r),
      ...get(R.k),
      ...f64splatConst(SHIFTER),
      ...f64x2sub,
      ...set(R.w),
      ...get(R.w),
      ...f64splatConst(LN2_HI),
      ...f64x2mul,
      ...f64x2sub,
      ...get(R.w),
      ...f64splatConst(LN2_LO),
      ...f64x2mul,
      ...f64x2sub,
      ...set(R.r),
      ...horner,
      // 2^k: bits(t) = bits(1.5 2^52) + k, so ((bits(t) - bits(1.5 2^52) + 1023) << 52)
      ...get(R.k),
      ...i64pair(1023n - shifterBits),
      ...i64x2add,
      ...i32c(52),
      ...i64x2shl,
      ...f64x2mul,
      ...get(R.x),
      ...f64splatConst(EXP_FLOOR),
      ...f64x2lt,
      ...v128andnot,
      ...set(R.w),
      ...get(P.dst),
      ...get(R.w),
      ...v128store(2 * off),
      ...get(L.blk),
      ...get(R.w),
      ...f64x2add,
      ...set(L.blk),
    ];
  };
  const blockSum = [...get(L.blk), ...f64x2extract(0), ...get(L.blk), ...f64x2extract(1), ...f64add];
  const body = [
    ...get(P.max),
    ...f64x2splat,
    ...set(L.mx),
    ...get(P.inv),
    ...f64x2splat,
    ...set(L.iv),
    ...v128constF64(0, 0),
    ...set(L.acc),
    ...block([
      ...get(P.ptr),
      ...get(P.end),
      ...i32geu,
      ...brIf(0),
      ...loop([
        // stop = min(ptr + BLOCK_BYTES, end)
        ...get(P.ptr),
        ...i32c(BLOCK_BYTES),
        ...i32add,
        ...get(P.end),
        ...get(P.ptr),
        ...i32c(BLOCK_BYTES),
        ...i32add,
        ...get(P.end),
        ...i32ltu,
        ...selectOp,
        ...set(L.stop),
        ...v128constF64(0, 0),
        ...set(L.blk),
        ...loop([
          ...pair(A, 0),
          ...pair(B, 8),
          ...bump(P.dst, 32),
          ...bump(P.ptr, 16),
          ...get(P.ptr),
          ...get(L.stop),
          ...i32ltu,
          ...brIf(0),
        ]),
        ...get(P.sums),
        ...blockSum,
        ...f64store,
        ...bump(P.sums, 8),
        ...get(L.acc),
        ...get(L.blk),
        ...f64x2add,
        ...set(L.acc),
        ...get(P.ptr),
        ...get(P.end),
        ...i32ltu,
        ...brIf(0),
      ]),
    ]),
    ...get(L.acc),
    ...f64x2extract(0),
    ...get(L.acc),
    ...f64x2extract(1),
    ...f64add,
  ];
  const type = [0x60, ...vec([I32, I32, I32, I32, F64, F64]), ...vec([F64])];
  return {
    type,
    code: [
      ...vec([
        [...uleb(4), V128],
        [...uleb(1), I32],
        [...uleb(8), V128],
      ]),
      ...body,
      0x0b,
    ],
  };
}

// ---- scalar helpers for the tournament passes -------------------------------------------

const i32load = (offset = 0) => [0x28, 2, ...uleb(offset)];
const f64load = (offset = 0) => [0x2b, 3, ...uleb(offset)];
const i32shrU = [0x76];
const i32and = [0x71];
const i32shl = [0x74];
const f64mul = [0xa2];
const f64sub = [0xa1];
const f64gt = [0x64];
const f64lt = [0x63];
const tee = (i) => [0x22, ...uleb(i)];
const ifThen = (body) => [0x04, 0x40, ...body, 0x0b];
const ret = [0x0f];
const f64x2gt = simd(0x4a);
const f64x2convertLowU = simd(0xff);

// address of table[(u >>> shift) & mask] (8-byte entries): u already on the stack
const tableIndex = (table, shift, mask) => [
  ...get(shift),
  ...i32shrU,
  ...get(mask),
  ...i32and,
  ...i32c(3),
  ...i32shl,
  ...get(table),
  ...i32add,
];

// tourHist(w, u, uEnd, mass, shift, mask): mass[(u_j >>> shift) & mask] += w_j for each token j
// (w: float64 per token, u: uint32 per token).
function tourHistFunc() {
  const P = { w: 0, ptr: 1, end: 2, mass: 3, shift: 4, mask: 5 };
  const L = { a: 6 };
  const body = forRange(
    P,
    4,
    [
      ...get(P.ptr),
      ...i32load(),
      ...tableIndex(P.mass, P.shift, P.mask),
      ...tee(L.a),
      ...get(L.a),
      ...f64load(),
      ...get(P.w),
      ...f64load(),
      ...f64add,
      ...f64store,
    ],
    bump(P.w, 8),
  );
  const type = [0x60, ...vec([I32, I32, I32, I32, I32, I32]), ...vec([])];
  return { type, code: [...vec([[...uleb(1), I32]]), ...body, 0x0b] };
}

// tourApply(w, u, uEnd, factor, pMask, mass, shift, mask): for each token j,
// mass[(u_j >>> shift) & mask] += w_j * factor[u_j & pMask] (the first chunk's factors applied
// on the fly: layers <= 32 means at most two chunks).
function tourApplyFunc() {
  const P = { w: 0, ptr: 1, end: 2, factor: 3, pMask: 4, mass: 5, shift: 6, mask: 7 };
  const L = { uu: 8, a: 9, zero: 10 };
  const body = [
    ...i32c(0),
    ...set(L.zero),
    ...forRange(
      P,
      4,
      [
        ...get(P.ptr),
        ...i32load(),
        ...set(L.uu),
        ...get(L.uu),
        ...tableIndex(P.mass, P.shift, P.mask),
        ...tee(L.a),
        ...get(L.a),
        ...f64load(),
        ...get(P.w),
        ...f64load(),
        ...get(L.uu),
        ...tableIndex(P.factor, L.zero, P.pMask),
        ...f64load(),
        ...f64mul,
        ...f64add,
        ...f64store,
      ],
      bump(P.w, 8),
    ),
  ];
  const type = [0x60, ...vec([I32, I32, I32, I32, I32, I32, I32, I32]), ...vec([])];
  return { type, code: [...vec([[...uleb(3), I32]]), ...body, 0x0b] };
}

// tourDraw(w, u, uEnd, f0, mask0, f1, shift1, mask1, target: f64) -> i32: inverse CDF over
// x_j = w_j * f0[u_j & mask0] * f1[(u_j >>> shift1) & mask1]: skips x <= 0, subtracts each x
// from target and returns the address (in u) of the token where target drops below 0, or of
// the last x > 0.
function tourDrawFunc() {
  const P = { w: 0, ptr: 1, end: 2, f0: 3, mask0: 4, f1: 5, shift1: 6, mask1: 7, target: 8 };
  const L = { last: 9, zero: 10, uu: 11, x: 12 };
  const body = [
    ...get(P.ptr),
    ...set(L.last),
    ...i32c(0),
    ...set(L.zero),
    ...forRange(
      P,
      4,
      [
        ...get(P.ptr),
        ...i32load(),
        ...set(L.uu),
        ...get(P.w),
        ...f64load(),
        ...get(L.uu),
        ...tableIndex(P.f0, L.zero, P.mask0),
        ...f64load(),
        ...f64mul,
        ...get(L.uu),
        ...tableIndex(P.f1, P.shift1, P.mask1),
        ...f64load(),
        ...f64mul,
        ...tee(L.x),
        ...f64c(0),
        ...f64gt,
        ...ifThen([
          ...get(P.ptr),
          ...set(L.last),
          ...get(P.target),
          ...get(L.x),
          ...f64sub,
          ...tee(P.target),
          ...f64c(0),
          ...f64lt,
          ...ifThen([...get(L.last), ...ret]),
        ]),
      ],
      bump(P.w, 8),
    ),
    ...get(L.last),
  ];
  const type = [0x60, ...vec([I32, I32, I32, I32, I32, I32, I32, I32, F64]), ...vec([I32])];
  return {
    type,
    code: [
      ...vec([
        [...uleb(3), I32],
        [...uleb(1), F64],
      ]),
      ...body,
      0x0b,
    ],
  };
}

// gumbelNext(w, u, wEnd, bs: f64) -> i32: the address (in w) of the first pair of tokens with a
// Gumbel candidate, or wEnd. Token j is a candidate iff u_j + 0.5 > 2^32 + bs * w_j, with bs the
// best key so far times 2^32: the skip test r <= 1 + best * w of gumbelChoice, scaled by 2^32
// (exact), so both paths examine exactly the same tokens.
function gumbelNextFunc() {
  const P = { ptr: 0, u: 1, end: 2, bs: 3 };
  const L = { bsv: 4 };
  const body = [
    ...get(P.bs),
    ...f64x2splat,
    ...set(L.bsv),
    ...forRange(
      P,
      16,
      [
        ...get(P.u),
        ...v128load64zero(),
        ...f64x2convertLowU,
        ...f64splatConst(0.5),
        ...f64x2add,
        ...f64splatConst(4294967296),
        ...get(L.bsv),
        ...get(P.ptr),
        ...v128load(),
        ...f64x2mul,
        ...f64x2add,
        ...f64x2gt,
        ...v128anyTrue,
        ...ifThen([...get(P.ptr), ...ret]),
      ],
      bump(P.u, 8),
    ),
    ...get(P.end),
  ];
  const type = [0x60, ...vec([I32, I32, I32, F64]), ...vec([I32])];
  return { type, code: [...vec([[...uleb(1), V128]]), ...body, 0x0b] };
}

// ---- module ---------------------------------------------------------------------------------

function buildModule() {
  const funcs = [
    { name: 'bias', ...biasFunc() },
    { name: 'mask', ...maskFunc() },
    { name: 'uniforms', ...uniformsFunc() },
    { name: 'selfUniforms', ...selfUniformsFunc() },
    { name: 'maxf', ...maxFunc() },
    { name: 'expw', ...expFunc() },
    { name: 'tourHist', ...tourHistFunc() },
    { name: 'tourApply', ...tourApplyFunc() },
    { name: 'tourDraw', ...tourDrawFunc() },
    { name: 'gumbelNext', ...gumbelNextFunc() },
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
