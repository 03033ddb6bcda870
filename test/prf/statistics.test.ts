// Statistical sanity of the green rule. Everything is deterministic (fixed keys), so these
// tests cannot flake; the bounds (|z| <= 5.5, a two-sided 4e-8 event for a correct PRF) only
// catch real defects: a biased threshold, a broken mixer, correlated contexts or tokens.
import { describe, expect, it } from 'vitest';
import { deriveSchemeKeys } from '../../src/prf/derive.js';
import { sipHashWords } from '../../src/prf/siphash.js';
import { effectiveGamma, greenMask, greenThreshold, tokenUniform } from '../../src/prf/token-mixer.js';

const Z = 5.5;
const secret = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
const { seedKey } = deriveSchemeKeys(secret, 'kgw');
const out = new Uint32Array(2);

/** Seed of the lefthash(h = 2) context (a, b). */
function seed(a: number, b: number): [number, number] {
  sipHashWords(seedKey, [a, b], 0, 2, out);
  return [out[0]!, out[1]!];
}

function z(count: number, n: number, p: number): number {
  return (count - n * p) / Math.sqrt(n * p * (1 - p));
}

describe('green fraction', () => {
  for (const gamma of [0.1, 0.25, 0.5]) {
    it(`is gamma = ${gamma} over 1e6 (context, token) pairs`, () => {
      const thr = greenThreshold(gamma);
      const p = effectiveGamma(thr);
      const mask = new Uint8Array(1000);
      let green = 0;
      for (let c = 0; c < 1000; c++) {
        const [lo, hi] = seed(c, 17);
        greenMask(lo, hi, thr, 1000, mask);
        for (let v = 0; v < 1000; v++) green += mask[v]!;
      }
      expect(Math.abs(z(green, 1e6, p))).toBeLessThan(Z);
    });
  }

  it('a whole 200,019-token vocabulary is green at rate gamma within every context', () => {
    const thr = greenThreshold(0.25);
    const mask = new Uint8Array(200019);
    for (let c = 0; c < 20; c++) {
      const [lo, hi] = seed(c, c * 7919);
      greenMask(lo, hi, thr, mask.length, mask);
      let g = 0;
      for (let v = 0; v < mask.length; v++) g += mask[v]!;
      expect(Math.abs(z(g, mask.length, 0.25))).toBeLessThan(Z);
    }
  });

  it('uniforms are uniform: chi-square of the top 6 bits and the bottom 6 bits', () => {
    const top = new Float64Array(64);
    const bottom = new Float64Array(64);
    const n = 640000;
    for (let c = 0; c < n / 1000; c++) {
      const [lo, hi] = seed(c, 1);
      for (let v = 0; v < 1000; v++) {
        const u = tokenUniform(lo, hi, v);
        top[u >>> 26]!++;
        bottom[u & 63]!++;
      }
    }
    for (const bins of [top, bottom]) {
      let chi = 0;
      for (const b of bins) chi += (b - n / 64) ** 2 / (n / 64);
      // chi-square with 63 degrees of freedom: mean 63, sd 11.2; 63 + 5.5 * 11.2 = 125
      expect(chi).toBeLessThan(125);
    }
  });
});

describe('independence', () => {
  const thr = greenThreshold(0.25);
  const p = effectiveGamma(thr);

  it('across contexts: neighbouring windows give unrelated green lists', () => {
    // Windows (a, b) and (a, b + 1), and (a, b) and (a + 1, b): both green at rate p^2.
    let both1 = 0;
    let both2 = 0;
    let n = 0;
    for (let a = 0; a < 100; a++) {
      for (let b = 0; b < 100; b++) {
        const [lo0, hi0] = seed(a, b);
        const [lo1, hi1] = seed(a, b + 1);
        const [lo2, hi2] = seed(a + 1, b);
        for (let v = 0; v < 100; v++) {
          const g0 = tokenUniform(lo0, hi0, v) < thr;
          if (g0 && tokenUniform(lo1, hi1, v) < thr) both1++;
          if (g0 && tokenUniform(lo2, hi2, v) < thr) both2++;
          n++;
        }
      }
    }
    expect(Math.abs(z(both1, n, p * p))).toBeLessThan(Z);
    expect(Math.abs(z(both2, n, p * p))).toBeLessThan(Z);
  });

  it('within a context: tokens v and v + d are green independently', () => {
    for (const d of [1, 2, 256, 65536]) {
      let both = 0;
      let n = 0;
      for (let c = 0; c < 2000; c++) {
        const [lo, hi] = seed(c, 99);
        for (let v = 0; v < 250; v++) {
          if (tokenUniform(lo, hi, v) < thr && tokenUniform(lo, hi, v + d) < thr) both++;
          n++;
        }
      }
      expect(Math.abs(z(both, n, p * p)), `d = ${d}`).toBeLessThan(Z);
    }
  });

  it('a fixed token across contexts: green bits of consecutive contexts are uncorrelated', () => {
    let both = 0;
    let n = 0;
    for (const v of [0, 1, 50256, 200018]) {
      let prev = false;
      for (let c = 0; c < 100000; c++) {
        const [lo, hi] = seed(v, c);
        const g = tokenUniform(lo, hi, v) < thr;
        if (c > 0) {
          if (g && prev) both++;
          n++;
        }
        prev = g;
      }
    }
    expect(Math.abs(z(both, n, p * p))).toBeLessThan(Z);
  });
});
