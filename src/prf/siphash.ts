/**
 * SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF", 2012) with a 128-bit
 * key and a 64-bit output, written with 32-bit halves so that it runs at full speed in plain
 * JavaScript (no BigInt on the hot path). Specified in docs/SPEC.md §3.
 */
import { RadiomarkError } from '../base/errors.js';

/**
 * A SipHash key as four 32-bit words: k0 low, k0 high, k1 low, k1 high, where k0 and k1 are the
 * little-endian 64-bit integers of key bytes 0..7 and 8..15. Build one with {@link sipKey}.
 */
export type SipKey = Uint32Array;

/**
 * Parses a 16-byte SipHash key. Throws `INVALID_ARGUMENT` unless `bytes` is a 16-byte
 * `Uint8Array`.
 *
 * @example
 * ```ts
 * const key = sipKey(deriveSubkey(secret, 'rank/kgw', 16));
 * ```
 */
export function sipKey(bytes: Uint8Array): SipKey {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 16) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'a SipHash key must be a 16-byte Uint8Array');
  }
  const k = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    k[i] = (bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | (bytes[4 * i + 3]! << 24)) >>> 0;
  }
  return k;
}

// Initialisation constants "somepseudorandomlygeneratedbytes", as 32-bit halves.
const C0_HI = 0x736f6d65;
const C0_LO = 0x70736575;
const C1_HI = 0x646f7261;
const C1_LO = 0x6e646f6d;
const C2_HI = 0x6c796765;
const C2_LO = 0x6e657261;
const C3_HI = 0x74656462;
const C3_LO = 0x79746573;

function checkKey(key: SipKey): void {
  if (!(key instanceof Uint32Array) || key.length !== 4) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'SipHash key must come from sipKey()');
  }
}

// ---------------------------------------------------------------------------------------------
// Reference path: any byte string, result as a bigint. State lives in an Int32Array of
// [v0lo, v0hi, v1lo, v1hi, v2lo, v2hi, v3lo, v3hi]; clarity first, speed second.
// ---------------------------------------------------------------------------------------------

const st = new Int32Array(8);

function add64(dst: number, src: number): void {
  const lo = (st[dst]! + st[src]!) | 0;
  const carry = lo >>> 0 < st[dst]! >>> 0 ? 1 : 0;
  st[dst + 1] = (st[dst + 1]! + st[src + 1]! + carry) | 0;
  st[dst] = lo;
}

function rotl64(i: number, r: number): void {
  const lo = st[i]!;
  const hi = st[i + 1]!;
  if (r === 32) {
    st[i] = hi;
    st[i + 1] = lo;
  } else {
    st[i] = (lo << r) | (hi >>> (32 - r));
    st[i + 1] = (hi << r) | (lo >>> (32 - r));
  }
}

function xor64(dst: number, src: number): void {
  st[dst]! ^= st[src]!;
  st[dst + 1]! ^= st[src + 1]!;
}

function sipRound(): void {
  add64(0, 2);
  rotl64(2, 13);
  xor64(2, 0);
  rotl64(0, 32);
  add64(4, 6);
  rotl64(6, 16);
  xor64(6, 4);
  add64(0, 6);
  rotl64(6, 21);
  xor64(6, 0);
  add64(4, 2);
  rotl64(2, 17);
  xor64(2, 4);
  rotl64(4, 32);
}

function absorb(mlo: number, mhi: number): void {
  st[6]! ^= mlo;
  st[7]! ^= mhi;
  sipRound();
  sipRound();
  st[0]! ^= mlo;
  st[1]! ^= mhi;
}

function le32(m: Uint8Array, i: number): number {
  return m[i]! | (m[i + 1]! << 8) | (m[i + 2]! << 16) | (m[i + 3]! << 24);
}

/**
 * SipHash-2-4 of an arbitrary byte string, as an unsigned 64-bit bigint (the reference's
 * output bytes read little-endian). Reference implementation: use {@link sipHashWords} on hot
 * paths.
 *
 * @example
 * ```ts
 * sipHash24(sipKey(Uint8Array.from({ length: 16 }, (_, i) => i)), new Uint8Array(0));
 * // 0x726fdb47dd0e0e31n
 * ```
 */
export function sipHash24(key: SipKey, message: Uint8Array): bigint {
  checkKey(key);
  if (!(message instanceof Uint8Array)) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'SipHash message must be a Uint8Array');
  }
  st[0] = key[0]! ^ C0_LO;
  st[1] = key[1]! ^ C0_HI;
  st[2] = key[2]! ^ C1_LO;
  st[3] = key[3]! ^ C1_HI;
  st[4] = key[0]! ^ C2_LO;
  st[5] = key[1]! ^ C2_HI;
  st[6] = key[2]! ^ C3_LO;
  st[7] = key[3]! ^ C3_HI;
  const n = message.length;
  const full = n - (n % 8);
  for (let i = 0; i < full; i += 8) absorb(le32(message, i), le32(message, i + 4));
  // Last block: the 0..7 remaining bytes, zero padded, with (n mod 256) in the top byte.
  const tail = new Uint8Array(8);
  tail.set(message.subarray(full));
  tail[7] = n & 0xff;
  absorb(le32(tail, 0), le32(tail, 4));
  st[4] ^= 0xff;
  sipRound();
  sipRound();
  sipRound();
  sipRound();
  const lo = (st[0] ^ st[2] ^ st[4] ^ st[6]) >>> 0;
  const hi = (st[1] ^ st[3] ^ st[5] ^ st[7]) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

// ---------------------------------------------------------------------------------------------
// Hot path: a message of 32-bit words, all state in local int32 variables, no allocation.
// ---------------------------------------------------------------------------------------------

/**
 * SipHash-2-4 of the message `u32le(words[start]) || ... || u32le(words[start + count - 1])`
 * (each word taken modulo 2^32 and encoded as 4 little-endian bytes; any count >= 0). Writes the
 * 64-bit result as `out[0]` = low 32 bits, `out[1]` = high 32 bits. Allocation-free; no
 * argument checks (the caller guarantees `start + count <= words.length` and a key from
 * {@link sipKey}).
 *
 * @example
 * ```ts
 * const out = new Uint32Array(2);
 * sipHashWords(seedKey, windowTokens, 0, windowTokens.length, out);
 * const seedLo = out[0], seedHi = out[1];
 * ```
 */
export function sipHashWords(key: SipKey, words: ArrayLike<number>, start: number, count: number, out: Uint32Array): void {
  const k0l = key[0]! | 0;
  const k0h = key[1]! | 0;
  const k1l = key[2]! | 0;
  const k1h = key[3]! | 0;
  let v0l = k0l ^ C0_LO;
  let v0h = k0h ^ C0_HI;
  let v1l = k1l ^ C1_LO;
  let v1h = k1h ^ C1_HI;
  let v2l = k0l ^ C2_LO;
  let v2h = k0h ^ C2_HI;
  let v3l = k1l ^ C3_LO;
  let v3h = k1h ^ C3_HI;
  let t: number;
  let ml: number;
  let mh: number;
  // Message blocks are 8 bytes = 2 words; the last block holds the odd word (if any) and the
  // message length in bytes (mod 256) in its top byte.
  const lenByte = ((count << 2) & 0xff) << 24;
  const end = start + count;
  let i = start;
  for (;;) {
    let last = false;
    if (i + 1 < end) {
      ml = words[i]! | 0;
      mh = words[i + 1]! | 0;
      i += 2;
    } else {
      ml = i < end ? words[i]! | 0 : 0;
      mh = lenByte;
      last = true;
    }
    v3l ^= ml;
    v3h ^= mh;
    // Two SipRounds. Rotating v0 and v2 by 32 only swaps their halves, so instead of moving
    // values the second round reads v0 and v2 with their names exchanged (v0h holds the low
    // half of v0, ...); after the second swap the names are right again. 64-bit additions
    // carry with `+(lowSum <u lowAddend)`: V8 turns that into a flag move, whereas
    // `cond ? 1 : 0` may become a branch that mispredicts half the time (2-3x slower).
    // Round 1: v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32 ...
    t = (v0l + v1l) | 0;
    v0h = (v0h + v1h + +(t >>> 0 < v0l >>> 0)) | 0;
    v0l = t;
    t = (v1l << 13) | (v1h >>> 19);
    v1h = ((v1h << 13) | (v1l >>> 19)) ^ v0h;
    v1l = t ^ v0l;
    // v2 += v3; v3 <<<= 16; v3 ^= v2
    t = (v2l + v3l) | 0;
    v2h = (v2h + v3h + +(t >>> 0 < v2l >>> 0)) | 0;
    v2l = t;
    t = (v3l << 16) | (v3h >>> 16);
    v3h = ((v3h << 16) | (v3l >>> 16)) ^ v2h;
    v3l = t ^ v2l;
    // v0 += v3 (v0 swapped: low half in v0h); v3 <<<= 21; v3 ^= v0
    t = (v0h + v3l) | 0;
    v0l = (v0l + v3h + +(t >>> 0 < v0h >>> 0)) | 0;
    v0h = t;
    t = (v3l << 21) | (v3h >>> 11);
    v3h = ((v3h << 21) | (v3l >>> 11)) ^ v0l;
    v3l = t ^ v0h;
    // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32
    t = (v2l + v1l) | 0;
    v2h = (v2h + v1h + +(t >>> 0 < v2l >>> 0)) | 0;
    v2l = t;
    t = (v1l << 17) | (v1h >>> 15);
    v1h = ((v1h << 17) | (v1l >>> 15)) ^ v2h;
    v1l = t ^ v2l;
    // Round 2, with v0 and v2 swapped: v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32
    t = (v0h + v1l) | 0;
    v0l = (v0l + v1h + +(t >>> 0 < v0h >>> 0)) | 0;
    v0h = t;
    t = (v1l << 13) | (v1h >>> 19);
    v1h = ((v1h << 13) | (v1l >>> 19)) ^ v0l;
    v1l = t ^ v0h;
    // v2 += v3; v3 <<<= 16; v3 ^= v2
    t = (v2h + v3l) | 0;
    v2l = (v2l + v3h + +(t >>> 0 < v2h >>> 0)) | 0;
    v2h = t;
    t = (v3l << 16) | (v3h >>> 16);
    v3h = ((v3h << 16) | (v3l >>> 16)) ^ v2l;
    v3l = t ^ v2h;
    // v0 += v3 (v0 unswapped again); v3 <<<= 21; v3 ^= v0
    t = (v0l + v3l) | 0;
    v0h = (v0h + v3h + +(t >>> 0 < v0l >>> 0)) | 0;
    v0l = t;
    t = (v3l << 21) | (v3h >>> 11);
    v3h = ((v3h << 21) | (v3l >>> 11)) ^ v0h;
    v3l = t ^ v0l;
    // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32 (v2 unswapped again)
    t = (v2h + v1l) | 0;
    v2l = (v2l + v1h + +(t >>> 0 < v2h >>> 0)) | 0;
    v2h = t;
    t = (v1l << 17) | (v1h >>> 15);
    v1h = ((v1h << 17) | (v1l >>> 15)) ^ v2l;
    v1l = t ^ v2h;

    v0l ^= ml;
    v0h ^= mh;
    if (last) break;
  }
  // Finalisation: v2 ^= 0xff, then four SipRounds (the same double round, twice).
  v2l ^= 0xff;
  for (let r = 0; r < 2; r++) {
    // Round 1: v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32 ...
    t = (v0l + v1l) | 0;
    v0h = (v0h + v1h + +(t >>> 0 < v0l >>> 0)) | 0;
    v0l = t;
    t = (v1l << 13) | (v1h >>> 19);
    v1h = ((v1h << 13) | (v1l >>> 19)) ^ v0h;
    v1l = t ^ v0l;
    // v2 += v3; v3 <<<= 16; v3 ^= v2
    t = (v2l + v3l) | 0;
    v2h = (v2h + v3h + +(t >>> 0 < v2l >>> 0)) | 0;
    v2l = t;
    t = (v3l << 16) | (v3h >>> 16);
    v3h = ((v3h << 16) | (v3l >>> 16)) ^ v2h;
    v3l = t ^ v2l;
    // v0 += v3 (v0 swapped: low half in v0h); v3 <<<= 21; v3 ^= v0
    t = (v0h + v3l) | 0;
    v0l = (v0l + v3h + +(t >>> 0 < v0h >>> 0)) | 0;
    v0h = t;
    t = (v3l << 21) | (v3h >>> 11);
    v3h = ((v3h << 21) | (v3l >>> 11)) ^ v0l;
    v3l = t ^ v0h;
    // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32
    t = (v2l + v1l) | 0;
    v2h = (v2h + v1h + +(t >>> 0 < v2l >>> 0)) | 0;
    v2l = t;
    t = (v1l << 17) | (v1h >>> 15);
    v1h = ((v1h << 17) | (v1l >>> 15)) ^ v2h;
    v1l = t ^ v2l;
    // Round 2, with v0 and v2 swapped: v0 += v1; v1 <<<= 13; v1 ^= v0; v0 <<<= 32
    t = (v0h + v1l) | 0;
    v0l = (v0l + v1h + +(t >>> 0 < v0h >>> 0)) | 0;
    v0h = t;
    t = (v1l << 13) | (v1h >>> 19);
    v1h = ((v1h << 13) | (v1l >>> 19)) ^ v0l;
    v1l = t ^ v0h;
    // v2 += v3; v3 <<<= 16; v3 ^= v2
    t = (v2h + v3l) | 0;
    v2l = (v2l + v3h + +(t >>> 0 < v2h >>> 0)) | 0;
    v2h = t;
    t = (v3l << 16) | (v3h >>> 16);
    v3h = ((v3h << 16) | (v3l >>> 16)) ^ v2l;
    v3l = t ^ v2h;
    // v0 += v3 (v0 unswapped again); v3 <<<= 21; v3 ^= v0
    t = (v0l + v3l) | 0;
    v0h = (v0h + v3h + +(t >>> 0 < v0l >>> 0)) | 0;
    v0l = t;
    t = (v3l << 21) | (v3h >>> 11);
    v3h = ((v3h << 21) | (v3l >>> 11)) ^ v0h;
    v3l = t ^ v0l;
    // v2 += v1; v1 <<<= 17; v1 ^= v2; v2 <<<= 32 (v2 unswapped again)
    t = (v2h + v1l) | 0;
    v2l = (v2l + v1h + +(t >>> 0 < v2h >>> 0)) | 0;
    v2h = t;
    t = (v1l << 17) | (v1h >>> 15);
    v1h = ((v1h << 17) | (v1l >>> 15)) ^ v2l;
    v1l = t ^ v2h;
  }
  out[0] = v0l ^ v1l ^ v2l ^ v3l;
  out[1] = v0h ^ v1h ^ v2h ^ v3h;
}
