import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWatermark, generateTokens, getTokenizer } from '../../src/index.js';
import { generateKey } from '../../src/key/key.js';
import { saveKey } from '../../src/node/key-store.js';
import { syntheticModel } from '../helpers/synthetic-model.js';
import { expectOneLineError, runCli } from '../helpers/run-cli.js';
import { radioactivity } from '../../src/cli/commands/radioactivity.js';
import { detect } from '../../src/cli/commands/detect.js';
import { verify } from '../../src/cli/commands/verify.js';
import { commit } from '../../src/cli/commands/commit.js';
import { keygen } from '../../src/cli/commands/keygen.js';
import { isUserError } from '../../src/cli/usage-error.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-verify-'));
const path = (name: string) => join(dir, name);
const key = generateKey();
const VERBS = { radioactivity, detect, verify, commit, keygen } as const;

// Verbs run in-process (a spawned CLI costs seconds); one spawned run checks the real exit code and stderr line.
async function cli(verb: keyof typeof VERBS, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  try {
    await VERBS[verb](args, (s) => (out += `${s}\n`));
    return { code: 0, out, err: '' };
  } catch (e) {
    return { code: isUserError(e) ? 2 : 1, out, err: `radiomark ${verb}: ${(e as Error).message}\n` };
  }
}
let secrets: string[] = [];

beforeAll(async () => {
  await saveKey(key, path('k.key'));
  await saveKey(generateKey(), path('other.key'));
  expect((await cli('keygen', '--signing', '--out', path('me.sign'))).code).toBe(0);
  expect((await cli('keygen', '--signing', '--out', path('mallory.sign'))).code).toBe(0);
  const tokenizer = getTokenizer('o200k_base');
  const watermark = createWatermark(key);
  const lines: string[] = [];
  for (let i = 0; i < 2; i++) {
    const prompt = tokenizer.encode('Write a story.');
    const ids: number[] = [];
    const model = syntheticModel(tokenizer.vocabSize, 10 + i, 1);
    for await (const id of generateTokens(model, prompt, { maxTokens: 80, watermark, rng: i + 1 })) ids.push(id);
    lines.push(JSON.stringify({ prompt: 'Write a story.', completion: tokenizer.decode(ids) }));
  }
  writeFileSync(path('suspect.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(path('text.txt'), (JSON.parse(lines[0]!) as { completion: string }).completion);
  const keyFile = JSON.parse(readFileSync(path('k.key'), 'utf8')) as { secret: string };
  const signFile = JSON.parse(readFileSync(path('me.sign'), 'utf8')) as { secret: string };
  secrets = [keyFile.secret, Buffer.from(keyFile.secret, 'base64').toString('hex'), signFile.secret];
  const made = await cli(
    'radioactivity',
    '--key',
    path('k.key'),
    '--controls',
    '5',
    path('suspect.jsonl'),
    '--evidence',
    path('signed.json'),
    '--sign',
    path('me.sign'),
  );
  expect(made.code, made.err).toBe(0);
  expect(
    (await cli('radioactivity', '--key', path('k.key'), '--controls', '5', path('suspect.jsonl'), '--evidence', path('unsigned.json')))
      .code,
  ).toBe(0);
}, 120_000);

const reproduce = async (bundle: string, keyFile = 'k.key', input = 'suspect.jsonl') =>
  cli('verify', path(bundle), '--key', path(keyFile), '--inputs', path(input));

interface Editable {
  result: {
    keys: { green: number }[];
    log10PValue: number;
    tokens: number;
    watermarked: boolean;
    controls: { log10PValues: number[] };
  };
  signature?: { value: string };
}

function edited(from: string, to: string, edit: (b: Editable) => void): void {
  const b = JSON.parse(readFileSync(path(from), 'utf8')) as Editable;
  edit(b);
  writeFileSync(path(to), JSON.stringify(b, null, 2));
}

describe('evidence bundles: round trip and tampering', () => {
  it('verifies without the key ("valid") and reproduces with the key and inputs ("reproduced")', async () => {
    const valid = await cli('verify', path('signed.json'));
    expect(valid.code, valid.err).toBe(0);
    expect(valid.out).toMatch(/^valid: radioactivity bundle, signed by ed25519 [0-9a-f]{64}/);
    const reproduced = await reproduce('signed.json');
    expect(reproduced.code, reproduced.err).toBe(0);
    expect(reproduced.out).toMatch(/^reproduced:/);
    const b = JSON.parse(readFileSync(path('signed.json'), 'utf8'));
    expect(b.result.radioactive).toBe(true);
    expect(b.keys[0].commitment).toBe((await cli('commit', '--key', path('k.key'))).out.trim());
    expect(b.inputs[0]).toMatchObject({ role: 'suspect', name: 'suspect.jsonl', lines: 2 });
  });

  it('names a changed input byte', async () => {
    const bytes = readFileSync(path('suspect.jsonl'));
    bytes[20] = bytes[20] === 0x61 ? 0x62 : 0x61;
    writeFileSync(path('tampered.jsonl'), bytes);
    expectOneLineError(await reproduce('signed.json', 'k.key', 'tampered.jsonl'), /input 1 \(suspect, suspect.jsonl\): sha256/);
  });

  it('names an edited number: stored counts (no key needed), or the rerun for numbers only the inputs decide', async () => {
    edited('unsigned.json', 'edited-green.json', (b) => b.result.keys[0]!.green++);
    expectOneLineError(await cli('verify', path('edited-green.json')), /result\.keys\[0\]\.log10PValue is .* but the stored counts/);
    edited('unsigned.json', 'edited-p.json', (b) => (b.result.log10PValue -= 1));
    expectOneLineError(await cli('verify', path('edited-p.json')), /result\.log10PValue/);
    edited('unsigned.json', 'edited-control.json', (b) => (b.result.controls.log10PValues[0]! -= 0.5));
    expect((await cli('verify', path('edited-control.json'))).code).toBe(0);
    expectOneLineError(await reproduce('edited-control.json'), /result\.controls\.log10PValues\[0\] differs when recomputed/);
  });

  it('rejects a changed signature, a signed bundle edited afterwards, and another key', async () => {
    edited(
      'signed.json',
      'bad-sig.json',
      (b) => (b.signature!.value = b.signature!.value.replace(/^./, (c: string) => (c === '0' ? '1' : '0'))),
    );
    // The real CLI: exit 2 and one line on stderr.
    expectOneLineError(runCli(['verify', path('bad-sig.json')]), /^radiomark verify: signature: does not match/);
    edited('signed.json', 'edited-signed.json', (b) => (b.result.tokens += 1));
    expectOneLineError(await cli('verify', path('edited-signed.json')), /signature: does not match/);
    expectOneLineError(await reproduce('signed.json', 'other.key'), /key 1 \(id [0-9a-f]{16}\) does not match the bundle's commitment/);
  });

  it('never writes a secret into a bundle or an output', async () => {
    const outputs = [
      readFileSync(path('signed.json'), 'utf8'),
      (await cli('verify', path('signed.json'), '--json')).out,
      (await reproduce('signed.json')).out,
      (await cli('commit', '--key', path('k.key'), '--json')).out,
    ];
    for (const text of outputs) for (const s of secrets) expect(text).not.toContain(s);
  });

  it('does the same for detect', async () => {
    const made = await cli(
      'detect',
      '--key',
      path('k.key'),
      path('text.txt'),
      '--evidence',
      path('detect.json'),
      '--sign',
      path('me.sign'),
    );
    expect(made.code, made.err).toBe(0);
    expect((await cli('verify', path('detect.json'))).out).toMatch(/^valid: detect bundle/);
    expect((await cli('verify', path('detect.json'), '--key', path('k.key'), '--inputs', path('text.txt'))).out).toMatch(/^reproduced/);
    edited('detect.json', 'detect-edited.json', (b) => {
      b.result.watermarked = !b.result.watermarked;
      delete b.signature;
    });
    expectOneLineError(await cli('verify', path('detect-edited.json')), /result\.watermarked/);
    expectOneLineError(await cli('detect', '--key', path('k.key'), '--evidence', path('x.json')), /needs input files/);
  });
});
