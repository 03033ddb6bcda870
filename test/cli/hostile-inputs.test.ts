import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRadiomarkError } from '../../src/base/errors.js';
import { attribute } from '../../src/cli/commands/attribute.js';
import { commit } from '../../src/cli/commands/commit.js';
import { demo } from '../../src/cli/commands/demo.js';
import { detect } from '../../src/cli/commands/detect.js';
import { generate } from '../../src/cli/commands/generate.js';
import { keygen } from '../../src/cli/commands/keygen.js';
import { ledger } from '../../src/cli/commands/ledger.js';
import { radioactivity } from '../../src/cli/commands/radioactivity.js';
import { verify } from '../../src/cli/commands/verify.js';
import { isUserError } from '../../src/cli/usage-error.js';
import { createWatermark, exportKey, generateKey, importKey, loadKey, saveKey } from '../../src/index.js';
import { errorCode } from '../helpers/error-code.js';

// The hostile-input acceptance table (issue #13): every case must end with the documented
// result or a one-line usage/input error (exit 2), never an internal error or a stack trace;
// files of another kind are never overwritten, no temp or lock file is left, modes are kept.
// The verbs run in-process (as src/cli/main.ts runs them) to keep this file fast.
const VERBS = { keygen, detect, generate, radioactivity, ledger, attribute, demo, commit, verify };
type Verb = keyof typeof VERBS;

const dir = mkdtempSync(join(tmpdir(), 'radiomark-hostile-'));
const f = (name: string) => join(dir, name);

async function run(verb: Verb, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  try {
    await VERBS[verb](args, (s) => out.push(s));
    return { code: 0, out: out.join('\n'), err: '' };
  } catch (e) {
    return { code: isUserError(e) ? 2 : 1, out: out.join('\n'), err: e instanceof Error ? e.message : String(e) };
  }
}

beforeAll(async () => {
  await saveKey(generateKey(), f('provider.key'));
  await saveKey(generateKey({ tokenizer: 'cl100k_base' }), f('cl100k.key'));
  await saveKey(generateKey({ scheme: 'gumbel' }), f('gumbel.key'));
  writeFileSync(f('bom.key'), `\ufeff${exportKey(generateKey())}`, { mode: 0o600 });
  writeFileSync(f('array-params.key'), JSON.stringify({ ...JSON.parse(exportKey(generateKey())), params: [], id: undefined }));
  writeFileSync(f('text.txt'), 'The quick brown fox jumps over the lazy dog. '.repeat(20));
  writeFileSync(f('nul.txt'), '\0'.repeat(1 << 20));
  writeFileSync(f('empty.txt'), '');
  writeFileSync(f('prompt7.jsonl'), '{"prompt": 7, "text": "hello there"}\n');
  writeFileSync(f('bad.jsonl'), '{"text": "ok"}\nnot json\n');
  writeFileSync(f('escape.jsonl'), '{"text": 5, "\u001b[31mred": 1}\n');
  writeFileSync(f('notes.txt'), 'my notes');
  mkdirSync(f('a-dir'));
  expect((await run('ledger', ['add', '--ledger', f('emitted.rmledger'), '--capacity', '1000', f('text.txt')])).code).toBe(0);
  expect((await run('ledger', ['add', '--owners', f('owners.rmowners'), '--account', '7', f('text.txt')])).code).toBe(0);
});

const K = () => f('provider.key');
// [verb, args, expected exit code, pattern the one line (or the output, for exit 0) must match]
const CASES: [Verb, () => string[], 0 | 2, RegExp][] = [
  ['keygen', () => ['--out', K()], 2, /file exists/],
  ['keygen', () => ['--out', f('x1.key'), '--tokenizer', 'constructor'], 2, /tokenizer/],
  ['keygen', () => ['--out', f('x2.key'), '--tokenizer', '__proto__'], 2, /tokenizer/],
  ['keygen', () => ['--out', f('x3.key'), '--tokenizer', 'toString'], 2, /tokenizer/],
  ['keygen', () => ['--out', f('x4.key'), '--gamma', '1e-300'], 2, /gamma/],
  ['keygen', () => ['--out', f('x5.key'), '--gamma', '0'], 2, /gamma/],
  ['keygen', () => ['--out', f('x6.key'), '--gamma', '1'], 2, /gamma/],
  ['keygen', () => ['--out', f('x7.key'), '--gamma', 'NaN'], 2, /gamma/],
  ['keygen', () => ['--out', f('x8.key'), '--window', '9'], 2, /window/],
  ['keygen', () => ['--out', f('x9.key'), '--window', '-1'], 2, /window/],
  ['keygen', () => ['--out', f('x10.key'), '--layers', '0'], 2, /layers/],
  ['keygen', () => ['--out', f('x11.key'), '--layers', '33'], 2, /layers/],
  ['keygen', () => ['--out', f('x12.key'), '--scheme', 'rsa'], 2, /scheme/],
  ['keygen', () => ['--out', f('x13.key'), '--seeding', 'sha'], 2, /seeding/],
  ['keygen', () => ['--out', f('x14.key'), 'extra'], 2, /unexpected argument "extra"/],
  ['keygen', () => ['--out', f('a-dir')], 2, /file exists|directory/],
  ['keygen', () => ['--out', f('missing/k.key')], 2, /no such directory/],
  ['keygen', () => ['--out', f('x15.key'), '--delta', '-1'], 2, /delta/],
  ['keygen', () => ['--out', f('x16.key'), '--bogus'], 2, /bogus/],
  ['keygen', () => ['--out'], 2, /--out/],
  ['detect', () => [f('text.txt')], 2, /--key is required/],
  ['detect', () => ['--key', f('missing.key'), f('text.txt')], 2, /no such file/],
  ['detect', () => ['--key', f('text.txt'), f('text.txt')], 2, /not valid JSON/],
  ['detect', () => ['--key', f('array-params.key'), f('text.txt')], 2, /params/],
  ['detect', () => ['--key', f('bom.key'), f('text.txt')], 0, /p-value|log10|not watermarked|watermarked/i],
  ['detect', () => ['--key', K(), f('nul.txt')], 0, /scored/],
  ['detect', () => ['--key', K(), f('empty.txt')], 2, /empty/],
  ['detect', () => ['--key', K(), f('a-dir')], 2, /is a directory/],
  ['detect', () => ['--key', K(), '--alpha', '0', f('text.txt')], 2, /alpha/],
  ['detect', () => ['--key', K(), '--alpha', '2', f('text.txt')], 2, /alpha/],
  ['detect', () => ['--key', K(), '--dedup', 'some', f('text.txt')], 2, /dedup/],
  ['detect', () => ['--key', K(), f('prompt7.jsonl')], 2, /"prompt" is not a string/],
  ['detect', () => ['--key', K(), f('bad.jsonl')], 2, /line 2/],
  ['detect', () => ['--key', K(), f('text.txt'), f('text.txt')], 2, /at most one/],
  ['detect', () => ['--key', f('emitted.rmledger'), f('text.txt')], 2, /key file/],
  ['detect', () => ['--key', K(), f('escape.jsonl')], 2, /line 1/],
  ['generate', () => [], 2, /--key is required/],
  ['generate', () => ['--key', K(), '--tokens', '-1'], 2, /tokens/],
  ['generate', () => ['--key', K(), '--tokens', '1e9'], 2, /out of range/],
  ['generate', () => ['--key', K(), '--top-k', '0'], 2, /top-k/],
  ['generate', () => ['--key', K(), '--temperature', '-1'], 2, /temperature/],
  ['generate', () => ['--key', K(), '--top-p', '0'], 2, /top-p/],
  ['generate', () => ['--key', K(), '--top-p', '2'], 2, /top-p/],
  ['generate', () => ['--key', K(), 'extra'], 2, /unexpected argument/],
  ['generate', () => ['--key', f('cl100k.key')], 2, /o200k_base/],
  ['generate', () => ['--key', K(), '--account', '-1'], 2, /account/],
  ['generate', () => ['--key', K(), '--order', '9'], 2, /order/],
  ['radioactivity', () => [f('text.txt')], 2, /--key is required/],
  ['radioactivity', () => ['--key', K(), '--controls', '1e9'], 2, /out of range/],
  ['radioactivity', () => ['--key', K(), '--controls', '-1'], 2, /controls/],
  ['radioactivity', () => ['--key', K(), '--open', f('text.txt'), '--model', 'reference', '--top-k', '0'], 2, /top-k/],
  ['radioactivity', () => ['--key', K(), '--filter', f('a-dir'), f('prompt7.jsonl')], 2, /is a directory/],
  ['radioactivity', () => ['--key', K(), '--filter', f('missing.rmledger'), f('text.txt')], 2, /no such file/],
  ['radioactivity', () => ['--key', K(), f('text.txt'), f('text.txt')], 2, /at most one/],
  ['radioactivity', () => ['--key', K(), '--model', 'reference', f('text.txt')], 2, /--open/],
  ['radioactivity', () => ['--key', K(), '--open', f('text.txt')], 2, /--model/],
  ['radioactivity', () => ['--key', K(), '--controls', '2', f('empty.txt')], 0, /nothing scored: no evidence either way/],
  ['radioactivity', () => ['--key', K(), f('bad.jsonl')], 2, /line [12]/],
  ['radioactivity', () => ['--key', K(), '--alpha', '0', f('text.txt')], 2, /alpha/],
  ['ledger', () => [], 2, /expected an action/],
  ['ledger', () => ['add', f('text.txt')], 2, /--ledger FILE/],
  ['ledger', () => ['add', '--ledger', f('e.rmledger'), '--owners', f('o.rmowners')], 2, /not both/],
  ['ledger', () => ['add', '--ledger', K(), f('text.txt')], 2, /provider\.key/],
  ['ledger', () => ['add', '--ledger', f('big.rmledger'), '--capacity', '1e15', f('text.txt')], 2, /capacity/],
  ['ledger', () => ['add', '--ledger', f('zero.rmledger'), '--capacity', '0', f('text.txt')], 2, /capacity/],
  ['ledger', () => ['add', '--ledger', f('fpr.rmledger'), '--fpr', '1', f('text.txt')], 2, /fpr/],
  ['ledger', () => ['add', '--owners', f('o2.rmowners'), f('text.txt')], 2, /--account/],
  ['ledger', () => ['add', '--owners', f('o3.rmowners'), '--skip-bad-lines', f('a.jsonl')], 2, /skip-bad-lines/],
  ['ledger', () => ['add', '--ledger', f('w.rmledger'), '--window', '0', f('text.txt')], 2, /window/],
  ['ledger', () => ['merge', '--out', K(), f('emitted.rmledger'), f('emitted.rmledger')], 2, /refusing to overwrite/],
  ['ledger', () => ['merge', '--out', f('notes.txt'), f('emitted.rmledger'), f('emitted.rmledger')], 2, /refusing to overwrite/],
  ['ledger', () => ['merge', '--out', f('m.rmledger'), f('emitted.rmledger')], 2, /at least two/],
  ['ledger', () => ['info', K()], 2, /ledger/],
  ['ledger', () => ['info', f('emitted.rmledger'), f('emitted.rmledger')], 2, /one LEDGER/],
  ['ledger', () => ['add', '--ledger', f('t.rmledger'), '--tokenizer', 'constructor', f('text.txt')], 2, /tokenizer/],
  ['ledger', () => ['add', '--ledger', f('a-dir'), f('text.txt')], 2, /is a directory/],
  ['ledger', () => ['merge', '--out', f('mixed.rmledger'), f('emitted.rmledger'), f('owners.rmowners')], 2, /cannot merge/],
  ['ledger', () => ['add', '--owners', f('emitted.rmledger'), '--account', '1', f('text.txt')], 2, /emission ledger/],
  ['attribute', () => [f('text.txt')], 2, /--key is required/],
  ['attribute', () => ['--key', K(), '--suspect', f('bad.jsonl'), '--accounts', f('text.txt'), '--controls', '1e9'], 2, /controls|account/],
  ['attribute', () => ['--key', K(), '--top', '-1', f('text.txt')], 2, /top/],
  ['attribute', () => ['--key', f('gumbel.key'), f('text.txt')], 2, /kgw|account/],
  ['demo', () => ['--samples', '0'], 2, /samples/],
  ['demo', () => ['--samples', '1e9'], 2, /out of range/],
  ['demo', () => ['--report', K()], 2, /refusing to overwrite/],
  ['demo', () => ['--report', f('a-dir')], 2, /is a directory/],
  ['demo', () => ['--report', f('missing/r.html')], 2, /no such directory/],
  ['demo', () => ['extra'], 2, /unexpected argument/],
  ['demo', () => ['--key', f('cl100k.key')], 2, /o200k_base/],
  ['demo', () => ['--alpha', '2'], 2, /alpha/],
  ['demo', () => ['--tokens', '0'], 2, /tokens/],
  ['commit', () => [], 2, /--key/],
  ['verify', () => [f('missing-bundle.json')], 2, /missing-bundle|no such file/],
];

describe('hostile inputs to the CLI', () => {
  it(`${CASES.length} cases: documented result or one line with exit 2; files and modes intact`, async () => {
    const keyBefore = readFileSync(K(), 'utf8');
    const notesBefore = readFileSync(f('notes.txt'), 'utf8');
    const failures: string[] = [];
    for (const [verb, args, code, pattern] of CASES) {
      const r = await run(verb, args());
      const text = code === 0 ? r.out : r.err;
      const ok = r.code === code && pattern.test(text) && !text.includes('\n    at ') && (code === 0 || !r.err.includes('\n'));
      if (!ok) failures.push(`${verb} ${args().join(' ')} -> ${r.code}: ${text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(readFileSync(K(), 'utf8')).toBe(keyBefore);
    expect(statSync(K()).mode & 0o777).toBe(0o600);
    expect(readFileSync(f('notes.txt'), 'utf8')).toBe(notesBefore);
    expect(statSync(f('owners.rmowners')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock') || /^x\d+\.key$/.test(n))).toEqual([]);
  }, 120_000);

  it('keeps a key mode and warns about a key readable by others', async () => {
    await saveKey(generateKey(), f('open.key'));
    chmodSync(f('open.key'), 0o644);
    const warnings: string[] = [];
    await loadKey(f('open.key'), { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([expect.stringMatching(/readable by others \(mode 0644\); run: chmod 600/)]);
  });
});

describe('hostile inputs to the API', () => {
  const key = generateKey();
  const wm = createWatermark(key);
  const logits = new Float32Array(wm.vocabSize);
  const API: [string, () => unknown, string][] = [
    ['createWatermark(null)', () => createWatermark(null as never), 'INVALID_KEY'],
    ['createWatermark({})', () => createWatermark({} as never), 'INVALID_KEY'],
    ['createWatermark(key, null)', () => createWatermark(key, null as never), 'INVALID_ARGUMENT'],
    ['vocabSize 1e12', () => createWatermark(key, { vocabSize: 1e12 }), 'INVALID_ARGUMENT'],
    ['detect(text, null)', () => wm.detect('some text here', null as never), 'INVALID_ARGUMENT'],
    ['detect({length: -1})', () => wm.detect({ length: -1 } as never), 'INVALID_ARGUMENT'],
    ['sample(c, l, null)', () => wm.sample([1, 2, 3], logits, null as never), 'INVALID_ARGUMENT'],
    ['sample rng () => 1', () => wm.sample([1, 2, 3], logits, { rng: () => 1 }), 'INVALID_ARGUMENT'],
    ['sample rng () => 5', () => wm.sample([1, 2, 3], logits, { rng: () => 5 }), 'INVALID_ARGUMENT'],
    ['sample rng () => NaN', () => wm.sample([1, 2, 3], logits, { rng: () => NaN }), 'INVALID_ARGUMENT'],
    ['detectBatch([], pool)', () => wm.detectBatch([], { pool: true }), 'EMPTY_INPUT'],
    ['generateKey tokenizer constructor', () => generateKey({ tokenizer: 'constructor' }), 'INVALID_ARGUMENT'],
    ['generateKey gamma 1e-300', () => generateKey({ gamma: 1e-300 }), 'INVALID_ARGUMENT'],
    ['importKey params []', () => importKey(readFileSync(f('array-params.key'), 'utf8')), 'KEY_FILE'],
  ];
  for (const [name, call, code] of API) it(name, () => expect(errorCode(call)).toBe(code));

  it('loadKey of a directory is a KEY_FILE error', async () => {
    await expect(loadKey(dir)).rejects.toSatisfy((e) => isRadiomarkError(e, 'KEY_FILE'));
  });
});

describe('the CLI process', () => {
  const cli = (args: string[], stdout: 'pipe' | number = 'pipe') =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', stdio: ['ignore', stdout, 'pipe'] });

  it('prints the version, a usage on stderr when bare, and one line when stdout is full', () => {
    expect(cli(['--version']).stdout).toMatch(/^radiomark \d+\.\d+\.\d+\n$/);
    const bare = cli([]);
    expect(bare.status).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr.split('\n')[0]).toMatch(/^Usage: radiomark <command>/);
    const full = cli(['keygen', '--help'], openSync('/dev/full', 'w'));
    expect(full.status).toBe(2);
    expect(full.stderr).toBe('radiomark: cannot write standard output: no space left on device\n');
  }, 60_000);
});
