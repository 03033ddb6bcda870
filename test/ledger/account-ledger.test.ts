import { describe, expect, it } from 'vitest';
import { AccountLedger, ClosedModeTest, createWatermark, generateKey, generateTokens, type Watermark } from '../../src/index.js';
import { clopperPearson } from '../../src/stats/index.js';
import { seededRandom } from '../../src/base/rng.js';
import { inspect } from 'node:util';
import { subkeyOf } from '../../src/key/key.js';
import { sipKey } from '../../src/prf/siphash.js';
import { errorCode } from '../helpers/error-code.js';
import { fixedKey } from '../helpers/fixed-key.js';
import { syntheticModel } from '../helpers/synthetic-model.js';

async function generate(vocab: number, seed: number, tokens: number, wm: Watermark | null, prompt = [1, 2]): Promise<number[]> {
  const ids: number[] = [];
  for await (const id of generateTokens(syntheticModel(vocab, seed), prompt, { maxTokens: tokens, watermark: wm, rng: seed })) ids.push(id);
  return ids;
}

describe('AccountLedger (which account received each window)', () => {
  it('keeps a window owned by one account and marks it shared once another receives it', () => {
    const ledger = AccountLedger.create({ window: 2 });
    ledger.record(7, [1, 2, 3, 4]).record(9, [3, 4, 5]);
    expect(ledger.ownerOf([1, 2], 2)).toBe(7);
    expect(ledger.ownerOf([2, 3], 2)).toBe(7);
    expect(ledger.ownerOf([3, 4], 2)).toBeUndefined(); // both received (3, 4)
    expect(ledger.ownerOf([4, 5], 2)).toBe(9);
    expect(ledger.ownerOf([5, 6], 2)).toBeUndefined(); // never emitted
    expect(ledger.info()).toMatchObject({ windows: 4, exclusive: 3 });
    // As a filter it holds every emitted window, shared or not.
    expect(
      [
        [1, 2],
        [3, 4],
        [4, 5],
        [5, 6],
      ].map((w) => ledger.hasWindow(w, 2)),
    ).toEqual([true, true, true, false]);
  });

  it('round-trips through bytes, merges, and rejects corrupt files with INPUT_FORMAT', () => {
    const a = AccountLedger.create({ window: 2 }).record(1, [1, 2, 3]);
    const b = AccountLedger.create({ window: 2 }).record(2, [2, 3, 4]);
    for (let i = 0; i < 3000; i++) a.record(i, [10_000 + 2 * i, 10_001 + 2 * i]); // forces the table to grow
    a.record(0xffffffff, [7, 8]); // the largest id round-trips as an owner, not as "shared"
    const copy = AccountLedger.fromBytes(a.toBytes());
    expect(copy.ownerOf([7, 8], 2)).toBe(0xffffffff);
    expect(copy.ownerOf([13_000, 13_001], 2)).toBe(1500);
    expect(copy.info()).toEqual(a.info());
    const merged = copy.merge(b);
    expect(merged.ownerOf([2, 3], 2)).toBeUndefined(); // account 1 (a) and account 2 (b) received it
    expect(merged.ownerOf([3, 4], 2)).toBe(2);
    expect(merged.ownerOf([1, 2], 2)).toBe(1);
    const bytes = a.toBytes();
    bytes[bytes.length - 10]! ^= 1;
    expect(errorCode(() => AccountLedger.fromBytes(bytes))).toBe('INPUT_FORMAT');
    expect(errorCode(() => AccountLedger.fromBytes(bytes.subarray(0, 30)))).toBe('INPUT_FORMAT');
    expect(errorCode(() => AccountLedger.fromBytes(new TextEncoder().encode('not a ledger at all, clearly')))).toBe('INPUT_FORMAT');
    expect(errorCode(() => a.merge(AccountLedger.create({ window: 3 })))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => a.record(-1, [1, 2]))).toBe('INVALID_ARGUMENT');
  });
});

describe('ledger-based per-account radioactivity', () => {
  it('finds the accounts whose outputs the suspect repeats, among 2,000 candidates', async () => {
    const V = 2000;
    const key = fixedKey(4);
    const rng = seededRandom(4);
    const candidates = Array.from({ length: 2000 }, () => Math.floor(rng() * 2 ** 32));
    const guilty = candidates.slice(0, 3);
    const ledger = AccountLedger.create({ window: 2 });
    const suspect: number[][] = [];
    for (const [i, account] of candidates.slice(0, 33).entries()) {
      const text = await generate(V, 10 + i, 400, createWatermark(key, { vocabSize: V, account }));
      ledger.record(account, [1, 2, ...text]);
      if (i < 3) suspect.push(text.slice(0, 200)); // the suspect learnt (and repeats) half of each guilty output
    }
    for (let i = 0; i < 3; i++) suspect.push(await generate(V, 100 + i, 400, null));
    const test = new ClosedModeTest([key], { owners: ledger });
    for (const text of suspect) test.readCompletion(text, [1, 2]);
    const report = test.attributeAccounts(candidates);
    expect(report.method).toBe('ledger');
    expect(new Set(report.accounts.slice(0, 3).map((a) => a.account))).toEqual(new Set(guilty));
    expect(report.significant).toBe(3);
    expect(test.attributeAccounts(candidates, { method: 'tally' }).method).toBe('tally');
  });

  it('keeps innocent accounts at their level when the suspect never saw their outputs (2,400 tests)', async () => {
    const V = 120; // small vocabulary: the suspect's windows often fall on windows one innocent received
    let rejected = 0;
    let tests = 0;
    for (let trial = 0; trial < 80; trial++) {
      const key = fixedKey(100 + trial);
      const ledger = AccountLedger.create({ window: 2 });
      const accounts = Array.from({ length: 30 }, (_, i) => 1000 * trial + i);
      for (const [i, account] of accounts.entries()) {
        ledger.record(account, [1, 2, ...(await generate(V, 7919 * trial + i, 60, createWatermark(key, { vocabSize: V, account })))]);
      }
      const test = new ClosedModeTest([key], { owners: ledger });
      test.readCompletion(await generate(V, 50_000 + trial, 1500, null), [1, 2]);
      for (const a of test.attributeAccounts(accounts, { top: accounts.length }).accounts) {
        if (a.scored === 0) continue;
        tests++;
        if (a.log10PValue <= Math.log10(0.05)) rejected++;
      }
    }
    expect(tests).toBeGreaterThan(1000);
    expect(clopperPearson(rejected, tests, 0.99).lower).toBeLessThanOrEqual(0.05);
  });

  it('never shows key material when a test with accounts is inspected or serialized', async () => {
    const key = generateKey();
    const ledger = AccountLedger.create({ window: 2 });
    const text = await generate(500, 1, 200, createWatermark(key, { vocabSize: 500, account: 9 }));
    ledger.record(9, [1, 2, ...text]);
    const test = new ClosedModeTest([key], { owners: ledger });
    test.readCompletion(text, [1, 2]);
    test.attributeAccounts([9]);
    const shown =
      inspect(test, { showHidden: true, depth: Infinity }) +
      JSON.stringify(test) +
      inspect(test.accountTally(), { showHidden: true, depth: Infinity });
    const purposes = ['context-seed/kgw', 'rank/kgw', 'account-seed/kgw', 'account-code/kgw', 'account-check/kgw'];
    const words = purposes.flatMap((p) => Array.from(sipKey(subkeyOf(key, p))));
    const salts = subkeyOf(key, 'account-salt/kgw', 64);
    const view = new DataView(salts.buffer, salts.byteOffset, 64);
    words.push(...Array.from({ length: 16 }, (_, d) => view.getUint32(4 * d, true)));
    for (const w of words) expect(shown).not.toContain(String(w));
  });

  it('refuses ledgers that do not fit the key', () => {
    expect(errorCode(() => new ClosedModeTest([generateKey({ window: 3 })], { owners: AccountLedger.create({ window: 2 }) }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      errorCode(() => new ClosedModeTest([generateKey({ seeding: 'minhash' })], { owners: AccountLedger.create({ window: 2 }) })),
    ).toBe('UNSUPPORTED');
    expect(
      errorCode(() => new ClosedModeTest([generateKey()], { owners: AccountLedger.create({ window: 2, tokenizer: 'cl100k_base' }) })),
    ).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => new ClosedModeTest([generateKey()], { accounts: true }).attributeAccounts([1], { method: 'ledger' }))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});
