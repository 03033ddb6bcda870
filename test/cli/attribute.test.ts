import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWatermark, generateKey, generateText, getTokenizer, loadKey, saveKey } from '../../src/index.js';
import type { KneserNeyModel } from '../../src/model/kneser-ney-model.js';
import { readAccountList } from '../../src/node/account-list.js';
import { loadOrTrainReferenceModel } from '../../src/node/model-cache.js';
import { expectOneLineError, runCli } from '../helpers/run-cli.js';
import { randomAccountIds } from '../helpers/account-ids.js';

// One order-2 reference model, trained once into a temporary cache that the CLI runs reuse.
const dir = mkdtempSync(join(tmpdir(), 'radiomark-cli-attribute-'));
const cache = join(dir, 'cache');
const keyPath = join(dir, 'provider.key');
const gumbelPath = join(dir, 'gumbel.key');
const MODEL = ['--order', '2', '--cache-dir', cache];
const ACCOUNT = 3_000_000_017;
const PROMPT = 'The ship';

// Every CLI output of this file, checked at the end for the secrets.
const outputs: string[] = [];
function run(args: string[], options: { input?: string } = {}) {
  const r = runCli(args, options);
  outputs.push(r.out, r.err);
  return r;
}

function writeIds(name: string, ids: ArrayLike<number>, header = ''): string {
  const path = join(dir, name);
  writeFileSync(path, `${header}${Array.from(ids).join('\n')}\n`);
  return path;
}

let model: KneserNeyModel;

beforeAll(async () => {
  await saveKey(generateKey(), keyPath);
  await saveKey(generateKey({ scheme: 'gumbel' }), gumbelPath);
  model = await loadOrTrainReferenceModel({ order: 2, cacheDir: cache });
});

describe('radiomark generate --account and attribute (text mode)', () => {
  let completion = '';
  const candidates = randomAccountIds(999, 1, [ACCOUNT]);
  candidates.splice(500, 0, ACCOUNT);

  it('embeds an account id that attribute decodes, significant', () => {
    const g = run([
      'generate',
      '--key',
      keyPath,
      '--account',
      String(ACCOUNT),
      '--prompt',
      PROMPT,
      '--tokens',
      '300',
      '--seed',
      '5',
      ...MODEL,
      '--json',
    ]);
    expect(g.code).toBe(0);
    const generated = JSON.parse(g.out) as { completion: string; account: number; watermarked: boolean };
    expect(generated.account).toBe(ACCOUNT);
    completion = generated.completion;
    const file = join(dir, 'reply.txt');
    writeFileSync(file, completion);
    const r = run(['attribute', '--key', keyPath, '--prompt', PROMPT, file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`account ${ACCOUNT} decoded`);
    expect(r.out).toMatch(/H0: /);
    expect(r.out).toMatch(/log10 p = -\d+\.\d\d/);
  });

  it('ranks the account first among 1,000 candidates, with the full reports in --json', () => {
    const ids = writeIds('customers.txt', candidates, '# customers of the test\n\n');
    const r = run(['attribute', '--key', keyPath, '--accounts', ids, '--prompt', PROMPT, '--top', '3', '--json', '-'], {
      input: completion,
    });
    expect(r.code).toBe(0);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document read field by field
    const json = JSON.parse(r.out) as Record<string, any>;
    expect(json.mode).toBe('text');
    for (const field of [
      'account',
      'candidate',
      'log10PValue',
      'log10PValueAnyId',
      'log10PValueThisId',
      'significant',
      'tuples',
      'tried',
      'certified',
      'nullHypothesis',
    ]) {
      expect(json.decoded).toHaveProperty(field);
    }
    expect(json.decoded.account).toBe(ACCOUNT);
    expect(json.decoded.significant).toBe(true);
    for (const field of ['method', 'nullHypothesis', 'correction', 'alpha', 'candidates', 'tuples', 'significant', 'accounts']) {
      expect(json.attribution).toHaveProperty(field);
    }
    expect(json.attribution.candidates).toBe(1000);
    expect(json.attribution.significant).toBe(1);
    expect(json.attribution.accounts).toHaveLength(3);
    expect(json.attribution.accounts[0]).toMatchObject({ account: ACCOUNT, significant: true });
    expect(json.attribution.accounts[0].adjustedLog10PValue).toBeLessThan(-6);
  });
});

describe('radiomark attribute --suspect', () => {
  it('ranks the 3 accounts whose outputs a suspect reproduces first, beside the zero-bit verdict', async () => {
    const candidates = randomAccountIds(1000, 2);
    const guilty = [candidates[10]!, candidates[20]!, candidates[30]!];
    const tokenizer = getTokenizer('o200k_base');
    const key = await loadKey(keyPath);
    const prompts = ['The ship', 'Once upon a time', 'In the morning', 'She said'];
    const lines: string[] = [];
    for (let i = 0; i < 18; i++) {
      // 12 outputs of the 3 accounts, then 6 unwatermarked ones.
      const watermark = i < 12 ? createWatermark(key, { vocabSize: model.vocabSize, account: guilty[i % 3]! }) : null;
      const prompt = prompts[i % prompts.length]!;
      let text = '';
      for await (const chunk of generateText(model, tokenizer, prompt, { maxTokens: 150, watermark, rng: 100 + i })) text += chunk;
      lines.push(JSON.stringify({ prompt, completion: text }));
    }
    const suspect = join(dir, 'suspect.jsonl');
    writeFileSync(suspect, `${lines.join('\n')}\n`);
    const ids = writeIds('suspect-candidates.txt', candidates);

    const r = run([
      'attribute',
      '--key',
      keyPath,
      '--suspect',
      suspect,
      '--accounts',
      ids,
      '--controls',
      '2',
      '--budget',
      '4096',
      '--json',
    ]);
    expect(r.code).toBe(0);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document read field by field
    const json = JSON.parse(r.out) as Record<string, any>;
    expect(json.mode).toBe('suspect');
    expect(json.radioactivity.radioactive).toBe(true);
    expect(json.radioactivity.records).toBe(18);
    expect(new Set(json.attribution.accounts.slice(0, 3).map((a: { account: number }) => a.account))).toEqual(new Set(guilty));
    expect(json.attribution.significant).toBeGreaterThanOrEqual(1);
    expect(json.decoded.tried).toBeLessThanOrEqual(4096);

    const human = run(['attribute', '--key', keyPath, '--suspect', suspect, '--accounts', ids, '--controls', '0', '--top', '3']);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^RADIOACTIVE/);
    expect(human.out).toMatch(/per-account tests \(tally method\): \d+ of 1000 candidate/);
    expect(human.out).toMatch(/H0\(a\): /);
    for (const account of guilty) expect(human.out).toContain(String(account));
    expect(human.out).toMatch(/suspect outputs \(dominant account\)/);
    // Each null hypothesis is stated once.
    expect(human.out.match(/H0\(a\): /g)).toHaveLength(1);
    expect(human.out.match(/H0: the suspect/g)).toHaveLength(1);
  });
});

describe('radiomark attribute: bad usage and input', () => {
  it('gives one clear line and exit 2', () => {
    const text = join(dir, 'short.txt');
    writeFileSync(text, 'A short text about nothing in particular.');
    const bad = writeIds('bad.txt', [], '# header\n1\n2\n12x\n');
    expectOneLineError(run(['attribute', '--key', keyPath, '--accounts', bad, text]), /bad\.txt line 4: not a decimal account id/);
    const dup = writeIds('dup.txt', [5, 6, 7, 6]);
    expectOneLineError(
      run(['attribute', '--key', keyPath, '--accounts', dup, text]),
      /line 4: account id 6 is listed twice \(first on line 2\)/,
    );
    const big = writeIds('big.txt', [1, 4294967296]);
    expectOneLineError(run(['attribute', '--key', keyPath, '--accounts', big, text]), /line 2: account id 4294967296 is out of range/);
    expectOneLineError(run(['attribute', text]), /--key is required/);
    expectOneLineError(run(['attribute', '--key', keyPath, '--suspect', join(dir, 'suspect.jsonl')]), /--suspect needs --accounts/);
    expectOneLineError(run(['attribute', '--key', gumbelPath, text]), /account ids need a kgw key/);
  });

  it('validates generate --account before loading the model', () => {
    expectOneLineError(
      run(['generate', '--key', keyPath, '--account', '4294967296', ...MODEL]),
      /--account: account id 4294967296 is out of range/,
    );
    expectOneLineError(run(['generate', '--key', keyPath, '--account=-1', ...MODEL]), /--account: not a decimal account id: "-1"/);
    expectOneLineError(run(['generate', '--key', gumbelPath, '--account', '7', ...MODEL]), /account ids need a kgw key/);
  });

  it('answers --help, and is listed by radiomark --help', () => {
    const help = run(['attribute', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Usage: radiomark attribute/);
    expect(help.out).toMatch(/Examples:/);
    expect(run(['--help']).out).toMatch(/attribute\s+find the account/);
  });
});

describe('candidate account lists', () => {
  it('loads a million ids exactly (speed is measured in benchmarks, not asserted here)', async () => {
    // i -> i * odd (mod 2^32) is a bijection: a million distinct ids spread over the range.
    const ids = Uint32Array.from({ length: 1_000_000 }, (_, i) => Math.imul(i, 0x9e3779b1) >>> 0);
    const path = writeIds('million.txt', ids, '# a million ids\n');
    const loaded = await readAccountList(path);
    expect(Buffer.from(loaded.buffer).equals(Buffer.from(ids.buffer))).toBe(true);
  });
});

// Runs last (tests run in file order): every output above has been collected.
describe('secrets', () => {
  it('never prints a key file secret', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const path of [keyPath, gumbelPath]) {
      const { secret } = JSON.parse(readFileSync(path, 'utf8')) as { secret: string };
      for (const output of outputs) expect(output).not.toContain(secret);
    }
  });
});
