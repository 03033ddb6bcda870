import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWatermark, EmissionLedger, generateKey, generateText, getTokenizer, saveKey } from '../../src/index.js';
import { seededRandom } from '../../src/base/rng.js';
import { loadOrTrainReferenceModel } from '../../src/node/model-cache.js';
import { expectOneLineError, runCli } from '../helpers/run-cli.js';

// Outputs of 6 accounts from an order-2 reference model (trained once into a temporary
// cache); the suspect repeats the outputs of 3 of them, beside unwatermarked text.
const dir = mkdtempSync(join(tmpdir(), 'radiomark-cli-owners-'));
const keyPath = join(dir, 'provider.key');
const minhashPath = join(dir, 'minhash.key');
const h3Path = join(dir, 'h3.key');
const file = (name: string) => join(dir, name);
const PROMPTS = ['The ship', 'Once upon a time', 'In the morning', 'She said'];

const rng = seededRandom(7);
const accounts = Array.from({ length: 6 }, () => Math.floor(rng() * 2 ** 32));
const guilty = accounts.slice(0, 3);
const candidates = [...accounts, ...Array.from({ length: 994 }, (_, i) => 1_000_000 + i)];

// Every CLI output of this file, checked at the end for the secrets.
const outputs: string[] = [];
function run(args: string[]) {
  const r = runCli(args);
  outputs.push(r.out, r.err);
  return r;
}

const jsonl = (records: object[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

beforeAll(async () => {
  const key = generateKey();
  await saveKey(key, keyPath);
  await saveKey(generateKey({ seeding: 'minhash' }), minhashPath);
  await saveKey(generateKey({ window: 3 }), h3Path);
  const model = await loadOrTrainReferenceModel({ order: 2, cacheDir: file('cache') });
  const tokenizer = getTokenizer('o200k_base');
  const served: { account: number | string; prompt: string; completion: string }[] = [];
  const suspect: { prompt: string; completion: string }[] = [];
  for (let i = 0; i < 12; i++) {
    const account = accounts[i % 6]!;
    const prompt = PROMPTS[i % PROMPTS.length]!;
    const watermark = createWatermark(key, { vocabSize: model.vocabSize, account });
    let completion = '';
    for await (const chunk of generateText(model, tokenizer, prompt, { maxTokens: 120, watermark, rng: 10 + i })) completion += chunk;
    // Ids as JSON numbers and as strings: both are read.
    served.push({ account: i % 2 === 0 ? account : String(account), prompt, completion });
    if (guilty.includes(account)) suspect.push({ prompt, completion });
  }
  for (let i = 0; i < 4; i++) {
    const prompt = PROMPTS[i]!;
    let completion = '';
    for await (const chunk of generateText(model, tokenizer, prompt, { maxTokens: 120, watermark: null, rng: 50 + i })) completion += chunk;
    suspect.push({ prompt, completion });
  }
  // Server A served the first 8 outputs, server B the last 4 (of which one as plain text).
  writeFileSync(file('served.jsonl'), jsonl(served));
  writeFileSync(file('server-a.jsonl'), jsonl(served.slice(0, 8)));
  writeFileSync(file('server-b.jsonl'), jsonl(served.slice(8, 11)));
  writeFileSync(file('server-b-last.txt'), `${served[11]!.prompt}${served[11]!.completion}`);
  writeFileSync(file('suspect.jsonl'), jsonl(suspect));
  writeFileSync(file('candidates.txt'), `${candidates.join('\n')}\n`);
  writeFileSync(file('emitted.rmledger'), EmissionLedger.create({ window: 2, capacity: 1000 }).toBytes());
});

describe('radiomark ledger add / info / merge --owners', () => {
  it('records the outputs of every account, reads them back, and merges servers', () => {
    const add = run(['ledger', 'add', '--owners', file('owners.rmowners'), file('served.jsonl')]);
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/^account ledger v1: window h=2, o200k_base, \d+ distinct windows/);
    expect(add.out).toContain('12 output(s) recorded');

    const info = JSON.parse(run(['ledger', 'info', '--json', file('owners.rmowners')]).out);
    expect(info).toMatchObject({ kind: 'account', version: 1, window: 2, tokenizer: 'o200k_base' });
    expect(info.exclusive).toBeGreaterThan(0.5 * info.windows);

    expect(run(['ledger', 'add', '--owners', file('a.rmowners'), file('server-a.jsonl')]).code).toBe(0);
    expect(run(['ledger', 'add', '--owners', file('b.rmowners'), file('server-b.jsonl')]).code).toBe(0);
    // Added to the existing ledger: server B's plain-text output, its account given by --account.
    const b = run(['ledger', 'add', '--owners', file('b.rmowners'), '--account', String(accounts[5]), file('server-b-last.txt')]);
    expect(b.out).toContain('1 output(s) recorded');
    const merged = run(['ledger', 'merge', '--json', '--out', file('merged.rmowners'), file('a.rmowners'), file('b.rmowners')]);
    expect(merged.code).toBe(0);
    // Tokenizing prompt and output as one plain text may split the join differently: a window or two.
    const m = JSON.parse(merged.out);
    expect(m.kind).toBe('account');
    expect(Math.abs(m.windows - info.windows)).toBeLessThanOrEqual(3);
    expect(Math.abs(m.exclusive - info.exclusive)).toBeLessThanOrEqual(3);
  });

  it('rejects bad account lines, plain text without --account and mixed merges with one line', () => {
    const bad = file('bad.jsonl');
    writeFileSync(
      bad,
      jsonl([
        { account: 5, completion: 'A fine line.' },
        { account: '12x', completion: 'Bad.' },
      ]),
    );
    expectOneLineError(
      run(['ledger', 'add', '--owners', file('x.rmowners'), bad]),
      /bad\.jsonl line 2: field "account": not a decimal account id: "12x"/,
    );
    writeFileSync(bad, jsonl([{ completion: 'No account.' }]));
    expectOneLineError(run(['ledger', 'add', '--owners', file('x.rmowners'), bad]), /bad\.jsonl line 1: missing field "account"/);
    writeFileSync(
      bad,
      jsonl([
        { account: 5, completion: 'Five.' },
        { account: 6, completion: 'Six.' },
      ]),
    );
    expectOneLineError(
      run(['ledger', 'add', '--owners', file('x.rmowners'), '--account', '5', bad]),
      /line 2: field "account" is 6, not the account given/,
    );
    expectOneLineError(
      run(['ledger', 'add', '--owners', file('x.rmowners'), file('server-b-last.txt')]),
      /server-b-last\.txt is read as plain text: give --account ID/,
    );
    // A negative number after an option is taken as its value, and refused as an id.
    expectOneLineError(
      run(['ledger', 'add', '--owners', file('x.rmowners'), '--account', '-1', bad]),
      /--account: not a decimal account id: "-1"/,
    );
    expectOneLineError(
      run(['ledger', 'merge', '--out', file('mixed'), file('a.rmowners'), file('emitted.rmledger')]),
      /cannot merge emission ledger .*emitted\.rmledger with account ledger .*a\.rmowners/,
    );
  });
});

describe('radiomark attribute --suspect --owners', () => {
  it('ranks the 3 accounts whose outputs the suspect repeats first, with the ledger method', () => {
    const args = [
      'attribute',
      '--key',
      keyPath,
      '--suspect',
      file('suspect.jsonl'),
      '--accounts',
      file('candidates.txt'),
      '--controls',
      '0',
    ];
    const r = run([...args, '--owners', file('owners.rmowners'), '--json']);
    expect(r.code).toBe(0);
    const { attribution } = JSON.parse(r.out);
    expect(attribution.method).toBe('ledger');
    expect(attribution.nullHypothesis).toMatch(/account ledger/);
    expect(new Set(attribution.accounts.slice(0, 3).map((a: { account: number }) => a.account))).toEqual(new Set(guilty));
    expect(attribution.significant).toBeGreaterThanOrEqual(2);

    const human = run([...args, '--owners', file('merged.rmowners'), '--top', '4']);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/per-account tests \(ledger method\): \d of 1000 candidate/);
    expect(human.out.match(/H0\(a\): /g)).toHaveLength(1);
    expect(human.out).toMatch(/must hold every account's outputs/);
    expect(human.out).toMatch(/tuples +score +H0 mean/);
    expect(human.out).toMatch(/H0 mean: tuples x 1\/4 = /);
    expect(human.out).not.toMatch(/random-codeword mean/);
  });

  it('gives one clear line and exit 2 for unusable ledgers and methods', () => {
    const args = ['attribute', '--suspect', file('suspect.jsonl'), '--accounts', file('candidates.txt')];
    const owners = ['--owners', file('owners.rmowners')];
    expectOneLineError(run([...args, '--key', minhashPath, ...owners]), /account ledger requires a lefthash key/);
    expectOneLineError(
      run([...args, '--key', h3Path, ...owners]),
      /owners\.rmowners: account ledger records windows of h=2 but the key has h=3/,
    );
    expectOneLineError(run([...args, '--key', keyPath, '--method', 'ledger']), /--method ledger needs --owners/);
    const corrupt = readFileSync(file('owners.rmowners'));
    corrupt[corrupt.length - 10]! ^= 1;
    writeFileSync(file('corrupt.rmowners'), corrupt);
    expectOneLineError(run([...args, '--key', keyPath, '--owners', file('corrupt.rmowners')]), /corrupt\.rmowners: checksum mismatch/);
    expectOneLineError(run([...args, '--key', keyPath, '--owners', file('emitted.rmledger')]), /emitted\.rmledger is an emission ledger/);
  });
});

// Runs last (tests run in file order): every output above has been collected.
describe('secrets', () => {
  it('never prints a key file secret', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const path of [keyPath, minhashPath, h3Path]) {
      const { secret } = JSON.parse(readFileSync(path, 'utf8')) as { secret: string };
      for (const output of outputs) expect(output).not.toContain(secret);
    }
  });
});
