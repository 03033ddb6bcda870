import { describe, expect, it } from 'vitest';
import { generateKey } from '../../src/index.js';
import { seededRandom } from '../../src/base/rng.js';
import { AccountCode, CODEWORD_DIGITS } from '../../src/accounts/account-code.js';
import { CodewordNull } from '../../src/accounts/codeword-null.js';
import { bestCodewords } from '../../src/accounts/list-decoder.js';
import { errorCode } from '../helpers/error-code.js';

describe('AccountCode (keyed 128-bit codewords: id permutation plus check digits)', () => {
  const code = new AccountCode(generateKey());
  const rng = seededRandom(11);

  it('inverts its own codewords', () => {
    for (const id of [0, 1, 42, 0xffffffff, ...Array.from({ length: 500 }, () => Math.floor(rng() * 2 ** 32))]) {
      const digits = code.digitsOf(id);
      expect(digits.length).toBe(CODEWORD_DIGITS);
      expect(digits.every((d) => d >= 0 && d < 16)).toBe(true);
      expect(code.accountOf(digits)).toBe(id);
    }
  });

  it('maps id prefixes one to one onto accounts (a keyed permutation of the 32-bit ids)', () => {
    for (let trial = 0; trial < 500; trial++) {
      const prefix = Uint8Array.from({ length: 8 }, () => Math.floor(rng() * 16));
      const account = code.accountOf(prefix);
      expect(Array.from(code.digitsOf(account).subarray(0, 8))).toEqual(Array.from(prefix));
    }
    const seen = new Set(Array.from({ length: 5000 }, (_, id) => code.digitsOf(id).subarray(0, 8).join('')));
    expect(seen.size).toBe(5000);
  });

  it('gives check digits that look uniform and unrelated to the prefix', () => {
    const counts = new Array(16).fill(0);
    for (let id = 0; id < 4000; id++) for (const d of code.digitsOf(id).subarray(8)) counts[d]++;
    const expected = (4000 * 24) / 16;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(37.7); // 0.999 quantile, 15 degrees of freedom
  });

  it('gives different keys unrelated codewords', () => {
    const other = new AccountCode(generateKey());
    let same = 0;
    for (let id = 0; id < 200; id++) {
      const a = code.digitsOf(id);
      const b = other.digitsOf(id);
      same += a.filter((d, i) => d === b[i]).length;
    }
    // 6,400 digit pairs, each equal with probability 1/16: mean 400, sd about 19.4.
    expect(same).toBeGreaterThan(320);
    expect(same).toBeLessThan(480);
  });

  it('refuses ids that are not unsigned 32-bit integers', () => {
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN, '7' as unknown as number]) {
      expect(errorCode(() => code.digitsOf(bad))).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('CodewordNull (exact conditional distribution of a random codeword score)', () => {
  it('equals brute-force enumeration on a small table', () => {
    const rng = seededRandom(5);
    const rows = Array.from({ length: 4 }, () => Array.from({ length: 16 }, () => Math.floor(rng() * 30)));
    const counts = new Map<number, number>();
    for (let i = 0; i < 16 ** 4; i++) {
      const s = rows.reduce((sum, row, p) => sum + row[(i >> (4 * p)) & 15]!, 0);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const exact = new CodewordNull(rows);
    const max = Math.max(...counts.keys());
    for (let s = 0; s <= max + 1; s++) {
      let atLeast = 0;
      for (const [value, c] of counts) if (value >= s) atLeast += c;
      const expected = atLeast === 0 ? -Infinity : Math.log10(atLeast / 16 ** 4);
      if (atLeast === 0) expect(exact.log10Tail(s)).toBe(-Infinity);
      else expect(exact.log10Tail(s)).toBeCloseTo(expected, 12);
    }
  });

  it('reaches the smallest possible tail 16^-32 for the unique best codeword', () => {
    const rows = Array.from({ length: 32 }, () => [...new Array(15).fill(3), 9]);
    expect(new CodewordNull(rows).log10Tail(32 * 9)).toBeCloseTo(-32 * Math.log10(16), 10);
  });

  it('rejects tables that are not counts', () => {
    expect(errorCode(() => new CodewordNull([[1, -1]]))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => new CodewordNull([]))).toBe('INVALID_ARGUMENT');
  });
});

describe('bestCodewords (list decoding order)', () => {
  it('yields codewords best first, each once, matching brute force where it can be enumerated', () => {
    const rng = seededRandom(9);
    // Only positions 0 and 1 are uncertain; elsewhere one digit dominates by far.
    const rows = Array.from({ length: 32 }, (_, p) =>
      Array.from({ length: 16 }, (_, d) => (p < 2 ? Math.floor(rng() * 50) : d === p % 16 ? 1000 : 0)),
    );
    const score = (digits: ArrayLike<number>) => rows.reduce((s, row, p) => s + row[digits[p]!]!, 0);
    const listed = [...bestCodewords(rows, 256)];
    const keys = new Set(listed.map((d) => d.join(',')));
    expect(keys.size).toBe(256);
    const scores = listed.map(score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThanOrEqual(scores[i - 1]!);
    const brute = [];
    for (let a = 0; a < 16; a++) for (let b = 0; b < 16; b++) brute.push(rows[0]![a]! + rows[1]![b]! + 1000 * 30);
    expect(scores).toEqual(brute.sort((x, y) => y - x));
  });
});
