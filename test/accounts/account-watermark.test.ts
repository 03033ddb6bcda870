import { describe, expect, it } from 'vitest';
import { ClosedModeTest, createWatermark, generateKey, generateTokens, type Watermark } from '../../src/index.js';
import { clopperPearson } from '../../src/stats/index.js';
import { errorCode } from '../helpers/error-code.js';
import { fixedKey } from '../helpers/fixed-key.js';
import { randomAccountIds } from '../helpers/account-ids.js';
import { FIXED_LOGITS, fixedLogitsModel, generationChiSquare } from '../helpers/fixed-logits-model.js';
import { syntheticModel } from '../helpers/synthetic-model.js';

const V = 2000;
const PROMPT = [1, 2, 3, 4];

async function generate(seed: number, tokens: number, wm: Watermark | null): Promise<number[]> {
  const ids: number[] = [];
  for await (const id of generateTokens(syntheticModel(V, seed), PROMPT, { maxTokens: tokens, watermark: wm, rng: seed })) ids.push(id);
  return ids;
}

describe('embedding and decoding account ids', () => {
  const key = fixedKey(1);

  it('decodes the account from 400 tokens of a high-entropy model, corrected for 2^32 ids', async () => {
    const accounts = randomAccountIds(10, 1);
    for (const [i, account] of accounts.entries()) {
      const wm = createWatermark(key, { vocabSize: V, account });
      const ids = await generate(100 + i, 400, wm);
      const found = wm.decodeAccount(ids, { prompt: PROMPT });
      expect(found.account).toBe(account);
      expect(found.significant).toBe(true);
      expect(found.log10PValue).toBeLessThan(-6);
      // Zero-bit detection under the provider key still works on the account's output.
      expect(wm.detect(ids, { prompt: PROMPT }).log10PValue).toBeLessThan(-6);
    }
  });

  it('finds no significant account in unwatermarked or zero-bit-only text', async () => {
    const plain = createWatermark(key, { vocabSize: V });
    for (let trial = 0; trial < 10; trial++) {
      const unmarked = plain.decodeAccount(await generate(200 + trial, 400, null));
      expect(unmarked.significant).toBe(false);
      const zeroBitOnly = plain.decodeAccount(await generate(300 + trial, 400, plain));
      expect(zeroBitOnly.significant).toBe(false);
    }
  });

  it('ranks the true account first among 2,000 candidates and keeps innocent p-values at their level', async () => {
    const candidates = randomAccountIds(2000, 2);
    const guilty = candidates.slice(0, 3);
    let innocentRejections = 0;
    let innocentTests = 0;
    for (let trial = 0; trial < 6; trial++) {
      const account = guilty[trial % 3]!;
      const wm = createWatermark(key, { vocabSize: V, account });
      const report = wm.attributeAccounts(await generate(400 + trial, 300, wm), candidates, { prompt: PROMPT, top: 2000 });
      expect(report.accounts[0]!.account).toBe(account);
      expect(report.accounts[0]!.significant).toBe(true);
      expect(report.significant).toBe(1);
      for (const a of report.accounts) {
        if (a.account === account) continue;
        innocentTests++;
        if (a.log10PValue <= -2) innocentRejections++;
      }
    }
    // Raw conditional p-values of innocent accounts: at most 1% at level 0.01 (99% interval).
    expect(clopperPearson(innocentRejections, innocentTests, 0.99).lower).toBeLessThanOrEqual(0.01);
  });

  it('samples exactly by rejection with an account (chi-square against biasing all logits)', async () => {
    const { model, logitsOnly } = fixedLogitsModel();
    // A fixed key and seed make this a deterministic check (a fresh key would fail 0.1% of runs by design).
    const wm = createWatermark(fixedKey(3, { window: 0 }), { vocabSize: FIXED_LOGITS.length, account: 7, accountDelta: 1.5 });
    const biased = wm.bias([], Float32Array.from(FIXED_LOGITS));
    expect(biased.some((x, v) => x !== FIXED_LOGITS[v])).toBe(true);
    for (const m of [model, logitsOnly]) {
      expect(await generationChiSquare(m, wm, biased, 40_000)).toBeLessThan(24.3); // 0.999 quantile, 7 degrees of freedom
    }
  });

  it('refuses account ids on keys without an account layer, and bad ids', () => {
    expect(errorCode(() => createWatermark(generateKey({ scheme: 'gumbel' }), { account: 1 }))).toBe('UNSUPPORTED');
    expect(errorCode(() => createWatermark(generateKey({ seeding: 'selfhash' }), { account: 1 }))).toBe('UNSUPPORTED');
    expect(errorCode(() => createWatermark(key, { account: -3 }))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => createWatermark(key, { account: 3, accountDelta: Number.NaN }))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => createWatermark(key, { accountDelta: 1 }))).toBe('INVALID_ARGUMENT');
    const wm = createWatermark(key, { vocabSize: V });
    expect(errorCode(() => wm.attributeAccounts([5, 6, 7, 8], [1, 1]))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => wm.attributeAccounts([5, 6, 7, 8], []))).toBe('EMPTY_INPUT');
    expect(errorCode(() => wm.decodeAccount([5, 6, 7, 8], { budget: 0 }))).toBe('INVALID_ARGUMENT');
  });
});

describe('per-account radioactivity (closed mode)', () => {
  it('attributes pooled outputs of 3 accounts to exactly those accounts among 10,000 candidates', async () => {
    const key = fixedKey(2);
    const candidates = randomAccountIds(10_000, 3);
    const guilty = [candidates[10]!, candidates[20]!, candidates[30]!];
    const test = new ClosedModeTest([key], { accounts: true });
    for (let i = 0; i < 24; i++) {
      const wm = createWatermark(key, { vocabSize: V, account: guilty[i % 3]! });
      test.readCompletion(await generate(500 + i, 300, wm), PROMPT);
    }
    for (let i = 0; i < 24; i++) test.readCompletion(await generate(600 + i, 300, null), PROMPT);
    const report = test.attributeAccounts(candidates);
    expect(new Set(report.accounts.slice(0, 3).map((a) => a.account))).toEqual(new Set(guilty));
    expect(report.significant).toBe(3);
    expect(test.result().radioactive).toBe(true);
  });

  it('needs the accounts option', () => {
    const test = new ClosedModeTest([generateKey()]);
    expect(errorCode(() => test.attributeAccounts([1]))).toBe('INVALID_ARGUMENT');
  });
});
