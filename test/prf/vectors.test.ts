// Checks the TypeScript PRF against test/prf/vectors.json, written by the independent Python
// reference (scripts/prf-reference.py). The three seeding schemes are re-derived here from the
// primitives exactly as docs/SPEC.md states them.
import { describe, expect, it } from 'vitest';
import { deriveSchemeKeys } from '../../src/prf/derive.js';
import { sipHashWords, type SipKey } from '../../src/prf/siphash.js';
import { greenThreshold, isGreen, tokenUniform } from '../../src/prf/token-mixer.js';
import vectors from './vectors.json' with { type: 'json' };

const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));
const out = new Uint32Array(2);

function seed(key: SipKey, words: number[]): { lo: number; hi: number; u64: string } {
  sipHashWords(key, words, 0, words.length, out);
  const u64 = out[1]!.toString(16).padStart(8, '0') + out[0]!.toString(16).padStart(8, '0');
  return { lo: out[0]!, hi: out[1]!, u64 };
}

function rank(rankKey: SipKey, t: number): number {
  sipHashWords(rankKey, [t], 0, 1, out);
  return out[0]!;
}

function minRank(rankKey: SipKey, tokens: number[]): number {
  let best = tokens[0]!;
  let bestRank = rank(rankKey, best);
  for (const t of tokens.slice(1)) {
    const r = rank(rankKey, t);
    if (r < bestRank || (r === bestRank && t < best)) {
      best = t;
      bestRank = r;
    }
  }
  return best;
}

interface TokenVector {
  token: number;
  uniform: number;
  green: Record<string, boolean>;
  anchor?: number;
  seed?: string;
  seedLo?: number;
  seedHi?: number;
}

function checkTokens(lo: number, hi: number, tokens: TokenVector[]): void {
  for (const t of tokens) {
    expect(tokenUniform(lo, hi, t.token), `token ${t.token}`).toBe(t.uniform);
    for (const [g, green] of Object.entries(t.green)) {
      expect(isGreen(lo, hi, t.token, greenThreshold(Number(g)))).toBe(green);
    }
  }
}

describe('vectors.json', () => {
  it('mixer vectors', () => {
    expect(vectors.mixer.length).toBeGreaterThan(3);
    for (const m of vectors.mixer) expect(tokenUniform(m.seedLo, m.seedHi, m.token)).toBe(m.uniform);
  });

  it('green thresholds', () => {
    for (const t of vectors.thresholds) expect(greenThreshold(t.gamma)).toBe(t.threshold);
  });

  for (const [ki, k] of vectors.keys.entries()) {
    describe(`key ${ki} (id ${k.keyId})`, () => {
      const { seedKey, rankKey } = deriveSchemeKeys(unhex(k.secret), 'kgw');
      const kgw = k.schemes.kgw;

      it('ranks', () => {
        for (const r of kgw.ranks) expect(rank(rankKey, r.token)).toBe(r.rank);
      });

      it('lefthash, minhash and selfhash seeds, uniforms and green bits', () => {
        const seen = new Set<string>();
        for (const c of kgw.cases as Array<Record<string, unknown>>) {
          const window = c.window as number[];
          const tokens = c.tokens as TokenVector[];
          seen.add(`${c.seeding as string}`);
          if (c.seeding === 'lefthash') {
            const s = seed(seedKey, window);
            expect(s.u64).toBe(c.seed);
            expect([s.lo, s.hi]).toEqual([c.seedLo, c.seedHi]);
            checkTokens(s.lo, s.hi, tokens);
          } else if (c.seeding === 'minhash') {
            const m = minRank(rankKey, window);
            expect(m).toBe(c.anchor);
            const s = seed(seedKey, [m]);
            expect(s.u64).toBe(c.seed);
            checkTokens(s.lo, s.hi, tokens);
          } else if (c.seeding === 'selfhash') {
            let selfAnchored = 0;
            for (const t of tokens) {
              const m = minRank(rankKey, [...window, t.token]);
              expect(m).toBe(t.anchor);
              if (m === t.token && !window.includes(m)) selfAnchored++;
              const s = seed(seedKey, [m]);
              expect(s.u64).toBe(t.seed);
              checkTokens(s.lo, s.hi, [t]);
            }
            if (window.length <= 4) expect(selfAnchored).toBeGreaterThan(0);
          } else {
            throw new Error(`unknown seeding ${String(c.seeding)}`);
          }
        }
        expect([...seen].sort()).toEqual(['lefthash', 'minhash', 'selfhash']);
      });
    });
  }
});
