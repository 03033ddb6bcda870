import { afterEach, describe, expect, it } from 'vitest';
import { setWasmDisabled, wasmSimdAvailable } from '../../src/prf/bias-wasm.js';
import { biasGreen, biasGreenScalar, effectiveGamma, greenMask, greenThreshold, isGreen, tokenUniform } from '../../src/prf/token-mixer.js';
import { errorCode as code } from '../helpers/error-code.js';
import { rng } from '../helpers/uint32-stream.js';

/** The scalar definition, written independently of src/prf: an f32 add on green tokens. */
function definition(logits: Float32Array, lo: number, hi: number, thr: number, delta: number): Float32Array {
  const out = logits.slice();
  const d = Math.fround(delta);
  for (let v = 0; v < out.length; v++) {
    let x = Math.imul((v ^ lo) >>> 0, 0x9e3779b1) >>> 0;
    x = (x ^ hi) >>> 0;
    x = (x ^ (x >>> 16)) >>> 0;
    x = Math.imul(x, 0x85ebca6b) >>> 0;
    x = (x ^ (x >>> 13)) >>> 0;
    x = Math.imul(x, 0xc2b2ae35) >>> 0;
    x = (x ^ (x >>> 16)) >>> 0;
    if (x < thr) out[v] = Math.fround(out[v]! + d);
  }
  return out;
}

const SPECIALS = [NaN, Infinity, -Infinity, -0, 0, 1e-45, -1e-45, 1.1754942e-38, 3.4028235e38, -3.4028235e38, 1e-40];

function randomLogits(n: number, r: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = r() % 16;
    a[i] = k < SPECIALS.length && r() % 8 === 0 ? SPECIALS[k]! : (r() / 2 ** 32 - 0.5) * 40;
  }
  return a;
}

/** Bitwise equality, except that any NaN equals any NaN (payload bits are unspecified). */
function sameFloats(a: Float32Array, b: Float32Array): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) {
    if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) {
      return `index ${i}: ${a[i]} vs ${b[i]}`;
    }
  }
  return null;
}

afterEach(() => setWasmDisabled(false));

describe('tokenUniform', () => {
  it('is an unsigned 32-bit integer and reduces arguments modulo 2^32', () => {
    const r = rng(7);
    for (let i = 0; i < 1000; i++) {
      const lo = r();
      const hi = r();
      const t = r() % 300000;
      const u = tokenUniform(lo, hi, t);
      expect(Number.isInteger(u) && u >= 0 && u < 2 ** 32).toBe(true);
      expect(tokenUniform(lo | 0, hi | 0, t)).toBe(u);
      expect(tokenUniform(lo + 2 ** 32, hi - 2 ** 32, t)).toBe(u);
    }
  });

  it('is a bijection of the token for a fixed seed (no two tokens share a uniform)', () => {
    const seen = new Set<number>();
    for (let t = 0; t < 100000; t++) seen.add(tokenUniform(0xdeadbeef, 0x12345678, t));
    expect(seen.size).toBe(100000);
  });
});

describe('greenThreshold / effectiveGamma', () => {
  it('threshold = floor(gamma * 2^32)', () => {
    expect(greenThreshold(0.25)).toBe(0x40000000);
    expect(greenThreshold(0.5)).toBe(0x80000000);
    expect(greenThreshold(1 / 3)).toBe(1431655765);
    expect(greenThreshold(2 ** -32)).toBe(1);
    expect(greenThreshold(1 - 2 ** -53)).toBe(2 ** 32 - 1);
    expect(effectiveGamma(greenThreshold(1 / 3))).toBe(1431655765 / 2 ** 32);
    expect(effectiveGamma(0x40000000)).toBe(0.25);
  });

  it('rejects bad gamma and thresholds', () => {
    for (const g of [0, 1, -0.1, 1.5, NaN, Infinity, 2 ** -33, '0.5'])
      expect(code(() => greenThreshold(g as number))).toBe('INVALID_ARGUMENT');
    for (const t of [-1, 2 ** 32, 0.5, NaN]) expect(code(() => effectiveGamma(t))).toBe('INVALID_ARGUMENT');
  });

  it('green iff uniform < threshold (unsigned)', () => {
    const r = rng(99);
    const thr = greenThreshold(0.75); // above 2^31: exercises the unsigned compare
    for (let i = 0; i < 2000; i++) {
      const lo = r();
      const hi = r();
      const t = r() % 200019;
      expect(isGreen(lo, hi, t, thr)).toBe(tokenUniform(lo, hi, t) < thr);
    }
  });
});

describe('biasGreen', () => {
  it('uses WebAssembly SIMD on this Node', () => {
    expect(wasmSimdAvailable()).toBe(true);
  });

  const lengths = [0, 1, 3, 4, 5, 255, 256, 257, 1023, 16384, 16385, 3 * 16384 + 7, 200019];
  const gammas = [0.1, 0.25, 0.5, 0.9];

  it('WASM path, JS path and the scalar definition agree bit for bit (NaN as NaN)', () => {
    const r = rng(2024);
    for (const n of lengths) {
      const base = randomLogits(n, r);
      for (const g of gammas) {
        const lo = r();
        const hi = r();
        const thr = greenThreshold(g);
        const delta = ((r() % 2000) - 1000) / 137; // not representable in float32 in general
        const want = definition(base, lo, hi, thr, delta);
        const w = base.slice();
        expect(biasGreen(w, lo, hi, thr, delta)).toBe(w);
        expect(sameFloats(w, want), `wasm n=${n} gamma=${g}`).toBeNull();
        const s = base.slice();
        expect(biasGreenScalar(s, lo, hi, thr, delta)).toBe(s);
        expect(sameFloats(s, want), `js n=${n} gamma=${g}`).toBeNull();
        setWasmDisabled(true);
        const f = base.slice();
        biasGreen(f, lo | 0, hi | 0, thr, delta);
        setWasmDisabled(false);
        expect(sameFloats(f, want), `fallback n=${n} gamma=${g}`).toBeNull();
      }
    }
  });

  it('leaves red tokens untouched bit for bit (-0, NaN payloads) and keeps infinities', () => {
    const n = 4096;
    const lo = 0x01234567;
    const hi = 0x89abcdef;
    const thr = greenThreshold(0.5);
    const base = new Float32Array(n);
    const bits = new Uint32Array(base.buffer);
    for (let i = 0; i < n; i++) bits[i] = [0x80000000, i % 8 === 1 ? 0x7f800001 : 0x7fc12345, 0x7f800000, 0xff800000][i % 4]!;
    for (const run of [biasGreen, biasGreenScalar]) {
      const a = base.slice();
      run(a, lo, hi, thr, 3.5);
      const ab = new Uint32Array(a.buffer);
      let green = 0;
      for (let v = 0; v < n; v++) {
        if (tokenUniform(lo, hi, v) < thr) {
          green++;
          if (v % 4 === 0) expect(a[v]).toBe(3.5);
          if (v % 4 === 1) expect(Number.isNaN(a[v])).toBe(true);
          if (v % 4 === 2) expect(a[v]).toBe(Infinity);
          if (v % 4 === 3) expect(a[v]).toBe(-Infinity);
        } else {
          expect(ab[v]).toBe(bits[v]);
        }
      }
      expect(green).toBeGreaterThan(1800);
      expect(green).toBeLessThan(2300);
    }
  });

  it('works on a subarray view without touching the rest of the buffer', () => {
    const buf = new Float32Array(1000).fill(1);
    const view = buf.subarray(100, 900);
    biasGreen(view, 5, 6, greenThreshold(0.5), 1);
    expect(buf[99]).toBe(1);
    expect(buf[900]).toBe(1);
    const want = definition(new Float32Array(800).fill(1), 5, 6, greenThreshold(0.5), 1);
    expect(sameFloats(view, want)).toBeNull();
  });

  it('checks its arguments', () => {
    const a = new Float32Array(8);
    const t = greenThreshold(0.25);
    expect(code(() => biasGreen(new Float64Array(8) as unknown as Float32Array, 0, 0, t, 1))).toBe('INVALID_ARGUMENT');
    expect(code(() => biasGreen(a, 0.5, 0, t, 1))).toBe('INVALID_ARGUMENT');
    expect(code(() => biasGreen(a, 0, 2 ** 32, t, 1))).toBe('INVALID_ARGUMENT');
    expect(code(() => biasGreen(a, 0, 0, 2 ** 32, 1))).toBe('INVALID_ARGUMENT');
    expect(code(() => biasGreen(a, 0, 0, t, Infinity))).toBe('INVALID_ARGUMENT');
    expect(code(() => biasGreen(a, 0, 0, t, NaN))).toBe('INVALID_ARGUMENT');
    expect(code(() => biasGreenScalar(a, 0, 0, -1, 1))).toBe('INVALID_ARGUMENT');
    expect(code(() => biasGreen(a, -1, 0xffffffff, 0, 1))).toBeUndefined();
  });
});

describe('greenMask', () => {
  it('WASM and JS paths match isGreen', () => {
    const r = rng(5);
    for (const n of [0, 1, 15, 16, 17, 255, 256, 1000, 200019]) {
      const lo = r();
      const hi = r();
      const thr = greenThreshold([0.25, 0.5, 0.9][n % 3]!);
      const m = greenMask(lo, hi, thr, n);
      setWasmDisabled(true);
      const j = greenMask(lo, hi, thr, n, new Uint8Array(n + 3).fill(7));
      setWasmDisabled(false);
      expect(m).toHaveLength(n);
      for (let v = 0; v < n; v++) {
        const want = isGreen(lo, hi, v, thr) ? 1 : 0;
        if (m[v] !== want || j[v] !== want) throw new Error(`mask mismatch at ${v} (n=${n})`);
      }
      expect(Array.from(j.subarray(n))).toEqual([7, 7, 7]);
    }
  });

  it('checks its arguments', () => {
    expect(code(() => greenMask(0, 0, 1, -1))).toBe('INVALID_ARGUMENT');
    expect(code(() => greenMask(0, 0, 1, 10, new Uint8Array(9)))).toBe('INVALID_ARGUMENT');
    expect(code(() => greenMask(0, 0, 2 ** 32, 10))).toBe('INVALID_ARGUMENT');
  });
});

describe('generated WebAssembly module', () => {
  it('is what scripts/build-wasm.mjs assembles', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
