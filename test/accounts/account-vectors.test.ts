// Checks the TypeScript account layer against test/prf/account-vectors.json, written by the
// independent Python reference (python3 scripts/prf-reference.py --accounts): sub-keys,
// codewords and their prefix inverse, account seeds, window positions, digit-set memberships,
// the tally, and (as a consistency check) the generation-side bias. Specified in docs/SPEC.md.
import { describe, expect, it } from 'vitest';
import { AccountCode, CODEWORD_DIGITS, ID_DIGITS } from '../../src/accounts/account-code.js';
import { AccountMarks, DIGIT_SET_THRESHOLD, positionOf } from '../../src/accounts/account-marks.js';
import { AccountTally } from '../../src/accounts/account-tally.js';
import { WatermarkKey } from '../../src/key/key.js';
import { resolveParams, type Seeding } from '../../src/key/params.js';
import { deriveSubkey } from '../../src/prf/derive.js';
import { ContextSeeder } from '../../src/schemes/seeding.js';
import vectors from '../prf/account-vectors.json' with { type: 'json' };

const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const digitsHex = (d: ArrayLike<number>) => Array.from(d, (x) => x.toString(16)).join('');
const digitsOfHex = (s: string) => Uint8Array.from(s, (c) => parseInt(c, 16));
const u64 = (lo: number, hi: number) => hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');

function keyOf(secret: string, seeding: Seeding, window: number): WatermarkKey {
  return new WatermarkKey(unhex(secret), resolveParams({ scheme: 'kgw', seeding, window }));
}

describe('account-vectors.json', () => {
  it('was generated with the digit-set threshold of the TS code', () => {
    // After changing DIGIT_SET_THRESHOLD, update the Python constant and regenerate the file.
    expect(DIGIT_SET_THRESHOLD).toBe(vectors.digitSetThreshold);
    expect(vectors.keys.length).toBe(3);
  });

  for (const [ki, k] of vectors.keys.entries()) {
    describe(`key ${ki}`, () => {
      const code = new AccountCode(keyOf(k.secret, 'lefthash', 2));
      const accountDigits = k.accounts.map((a) => digitsOfHex(a.codeword));

      it('sub-keys and salts', () => {
        const secret = unhex(k.secret);
        for (const [purpose, value] of Object.entries(k.subkeys)) {
          expect(hex(deriveSubkey(secret, purpose, value.length / 2)), purpose).toBe(value);
        }
        const saltBytes = unhex(k.subkeys['account-salt/kgw']);
        const view = new DataView(saltBytes.buffer);
        expect(Array.from({ length: 16 }, (_, d) => view.getUint32(4 * d, true))).toEqual(k.salts);
      });

      it('codewords (32 digits) and their prefix inverse', () => {
        expect(k.accounts.length).toBeGreaterThanOrEqual(20);
        expect(k.accounts.map((a) => a.account)).toEqual(expect.arrayContaining([0, 0xffffffff]));
        for (const a of k.accounts) {
          const digits = code.digitsOf(a.account);
          expect(digits.length).toBe(CODEWORD_DIGITS);
          expect(digitsHex(digits), `account ${a.account}`).toBe(a.codeword);
          expect(code.accountOf(digits.subarray(0, ID_DIGITS))).toBe(a.account);
          // Check digits alone, from a buffer holding something else.
          const other = new Uint8Array(CODEWORD_DIGITS).fill(15);
          expect(digitsHex(code.checkDigits(a.account, other).subarray(ID_DIGITS))).toBe(a.codeword.slice(ID_DIGITS));
        }
        for (const p of k.prefixes) {
          const prefix = digitsOfHex(p.prefix);
          expect(code.accountOf(prefix), `prefix ${p.prefix}`).toBe(p.account);
          expect(digitsHex(code.digitsOf(p.account).subarray(0, ID_DIGITS))).toBe(p.prefix);
        }
      });

      for (const group of k.marks) {
        describe(`${group.seeding} h=${group.h}`, () => {
          const key = keyOf(k.secret, group.seeding as Seeding, group.h);
          const seeder = new ContextSeeder(key);
          const marks = new AccountMarks(key, seeder);

          it('seed inputs, account seeds, positions and memberships', () => {
            expect(group.cases.length).toBe(30);
            const words = new Uint32Array(16);
            const seed = new Uint32Array(2);
            for (const c of group.cases) {
              const what = `window [${c.window.join(', ')}], token ${c.token}`;
              const count = seeder.seedInput(c.window, c.window.length, words);
              expect(Array.from(words.subarray(0, count)), what).toEqual(c.input);
              marks.seedOfInput(c.input, c.input.length, seed);
              expect([seed[0], seed[1]], what).toEqual([c.seedLo, c.seedHi]);
              expect(u64(seed[0]!, seed[1]!)).toBe(c.seed);
              expect(positionOf(c.seedHi), what).toBe(c.position);
              expect(marks.memberships(c.seedLo, c.seedHi, c.token), what).toBe(c.mask);
              expect(marks.membershipsAfter(c.window, c.window.length, c.token), what).toEqual({ position: c.position, mask: c.mask });
              // An account's set at this window is the set of its digit at the window's position.
              for (const digits of accountDigits.slice(0, 4)) {
                const marked = ((c.mask >>> digits[c.position]!) & 1) === 1;
                expect(marks.isMarked(c.window, c.token, digits), what).toBe(marked);
              }
            }
          });

          it('tally', () => {
            const tally = new AccountTally(marks);
            for (const c of group.cases) tally.addTuple(c.input, c.input.length, c.token);
            expect(tally.tuples).toBe(group.tally.tuples);
            const cells: number[][] = [];
            tally.rows().forEach((row, p) => row.forEach((n, d) => n > 0 && cells.push([p, d, n])));
            expect(cells).toEqual(group.tally.cells);
            const perPosition: number[][] = [];
            tally.perPosition.forEach((n, p) => n > 0 && perPosition.push([p, n]));
            expect(perPosition).toEqual(group.tally.perPosition);
            for (const s of group.tally.scores) expect(tally.scoreOf(code.digitsOf(s.account))).toBe(s.score);
          });

          it('bias adds delta (float32) exactly to the logits of the favoured set', () => {
            const digits = accountDigits[0]!;
            const delta = 1.3; // not a float32: the added value is fround(1.3)
            for (const c of group.cases.filter((_, i) => i % 3 === 0)) {
              const logits = new Float32Array(200_019).fill(0.5);
              marks.bias(c.window, logits, digits, delta);
              const marked = Math.fround(0.5 + Math.fround(delta));
              for (const t of group.cases.filter((o) => o.seed === c.seed && o.token < logits.length)) {
                const inSet = ((t.mask >>> digits[t.position]!) & 1) === 1;
                expect(logits[t.token], `token ${t.token}`).toBe(inSet ? marked : 0.5);
              }
              let biased = 0;
              for (let v = 0; v < logits.length; v++) if (logits[v] !== 0.5) biased++;
              const expected = (logits.length * DIGIT_SET_THRESHOLD) / 2 ** 32;
              expect(Math.abs(biased - expected)).toBeLessThan(6 * Math.sqrt(expected));
            }
          });
        });
      }
    });
  }
});
