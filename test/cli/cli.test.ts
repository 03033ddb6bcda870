import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWatermark, generateTokens, getTokenizer, loadKey } from '../../src/index.js';
import { syntheticModel } from '../helpers/synthetic-model.js';
import { humanParagraphs } from '../helpers/human-text.js';
import { expectOneLineError, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-cli-core-'));
const keyPath = join(dir, 'provider.key');

function secretIn(path: string): string {
  return (JSON.parse(readFileSync(path, 'utf8')) as { secret: string }).secret;
}

describe('radiomark keygen', () => {
  it('writes a 0600 key file and prints only public information', () => {
    const r = runCli(['keygen', '--out', keyPath, '--window', '3', '--json']);
    expect(r.code).toBe(0);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const printed = JSON.parse(r.out) as { id: string; params: { window: number } };
    expect(printed.params.window).toBe(3);
    expect(r.out + r.err).not.toContain(secretIn(keyPath));
  });

  it('refuses to overwrite, and rejects bad parameters with exit 2 and one line', () => {
    expectOneLineError(runCli(['keygen', '--out', keyPath]), /file exists/);
    expectOneLineError(runCli(['keygen', '--out', join(dir, 'x.key'), '--gamma', '1.5']), /gamma/);
    expectOneLineError(runCli(['keygen', '--bogus']), /bogus/);
  });
});

describe('radiomark detect', () => {
  const text = humanParagraphs(1500)[10]!;

  it('reads a file or stdin, prints a summary or JSON, and exits 0 whatever the verdict', () => {
    const file = join(dir, 'human.txt');
    writeFileSync(file, text);
    const human = runCli(['detect', '--key', keyPath, file]);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/not watermarked/);
    expect(human.out).toMatch(/H0:/);
    const json = JSON.parse(runCli(['detect', '--key', keyPath, '--json', '-'], { input: text }).out) as Record<string, unknown>;
    for (const field of ['scheme', 'tokens', 'scored', 'green', 'gamma', 'z', 'pValue', 'log10PValue', 'alpha', 'watermarked']) {
      expect(json).toHaveProperty(field);
    }
    expect(json.watermarked).toBe(false);
  });

  it('flags watermarked text, also inside JSONL', async () => {
    const key = await loadKey(keyPath);
    const tokenizer = getTokenizer('o200k_base');
    const wm = createWatermark(key);
    const ids: number[] = [];
    const model = syntheticModel(tokenizer.vocabSize, 3, 1);
    // Keep to ordinary tokens so that the text round-trips through the tokenizer.
    const ordinary = {
      ...model,
      nextLogits: (c: ArrayLike<number>, out?: Float32Array) => model.nextLogits(c, out).fill(-Infinity, 50_000),
    };
    for await (const id of generateTokens(ordinary, tokenizer.encode('Hello'), { maxTokens: 150, watermark: wm, rng: 4 })) ids.push(id);
    const marked = tokenizer.decode(ids);
    const r = runCli(['detect', '--key', keyPath, '--json', '--alpha', '1e-6', '-'], { input: marked });
    expect(JSON.parse(r.out).watermarked).toBe(true);
    const jsonl = join(dir, 'batch.jsonl');
    writeFileSync(jsonl, `${JSON.stringify({ text: marked })}\n${JSON.stringify({ text })}\n`);
    const lines = runCli(['detect', '--key', keyPath, '--json', jsonl])
      .out.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.line, l.watermarked])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('gives one clear line and exit 2 for bad input', () => {
    expectOneLineError(runCli(['detect', '--key', keyPath, '-'], { input: '' }), /empty/);
    expectOneLineError(runCli(['detect', '--key', join(dir, 'missing.key'), '-'], { input: 'x' }), /no such file/);
    expectOneLineError(runCli(['detect', '-'], { input: 'x' }), /--key is required/);
    expectOneLineError(runCli(['detect', '--key', keyPath, '--alpha', '7', '-'], { input: 'some text' }), /alpha/);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ text: 'ok' })}\n{oops\n`);
    expectOneLineError(runCli(['detect', '--key', keyPath, bad]), /line 2/);
    const broken = join(dir, 'broken.key');
    writeFileSync(broken, '{"format":"radiomark-key","version":1}');
    expectOneLineError(runCli(['detect', '--key', broken, '-'], { input: 'x' }), /"secret"/);
  });

  it('answers --help for every verb and exit 2 for an unknown verb', () => {
    for (const verb of ['keygen', 'generate', 'detect', 'demo', 'radioactivity']) {
      const r = runCli([verb, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Usage: radiomark/);
    }
    expectOneLineError(runCli(['frobnicate']), /unknown command/);
  });
});

describe('radiomark generate and demo on the reference model', () => {
  const cache = join(dir, 'cache');

  it('runs a small demo end to end (order-2 model trained into a temporary cache)', () => {
    const report = join(dir, 'report.html');
    const r = runCli(['demo', '--samples', '4', '--tokens', '80', '--order', '2', '--cache-dir', cache, '--report', report, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as { tpr: number; fpr: number; alpha: number; samples: { watermarked: number } };
    expect(summary.samples.watermarked).toBe(4);
    expect(summary.tpr).toBeGreaterThanOrEqual(0.75);
    expect(summary.fpr).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/For the key holder only/);
    expect(statSync(report).mode & 0o777).toBe(0o600);
  });

  it('streams watermarked text that detect recognises', () => {
    const r = runCli([
      'generate',
      '--key',
      keyPath,
      '--prompt',
      'The ship',
      '--tokens',
      '120',
      '--seed',
      '5',
      '--order',
      '2',
      '--cache-dir',
      cache,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const { completion } = JSON.parse(r.out) as { completion: string };
    const d = JSON.parse(runCli(['detect', '--key', keyPath, '--json', '--prompt', 'The ship', '-'], { input: completion }).out);
    expect(d.log10PValue).toBeLessThan(-4);
  });
});
