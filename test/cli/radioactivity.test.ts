import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/key/key.js';
import { saveKey } from '../../src/node/key-store.js';
import { runCli } from '../helpers/run-cli.js';
import { trainKneserNey } from '../../src/model/train-kneser-ney.js';
import { serializeModel } from '../../src/model/model-format.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-cli-'));
const keyPath = join(dir, 'k.json');
const cli = (...args: string[]) => runCli(args);
const line = (c: string) => JSON.stringify({ prompt: 'Write a sentence.', completion: c });

beforeAll(async () => {
  await saveKey(generateKey({ window: 2 }), keyPath);
  writeFileSync(join(dir, 'good.jsonl'), `${line('The cat sat on the mat and looked at the door.')}\n${line('A dog ran.')}\n`);
  writeFileSync(join(dir, 'bad.jsonl'), `${line('The cat sat.')}\nnot json\n`);
  const provenance = { tokenizer: 'o200k_base', corpusHash: 'test', trainerVersion: 1 };
  const streams = (seed: number) => [Array.from({ length: 4000 }, (_, i) => ((i * 7919 + seed) % 97) * 13)];
  writeFileSync(join(dir, 'suspect.rmkn'), serializeModel(trainKneserNey(streams(1), { order: 3, vocabSize: 200_019 }), provenance));
  writeFileSync(join(dir, 'clean.rmkn'), serializeModel(trainKneserNey(streams(5), { order: 3, vocabSize: 200_019 }), provenance));
  writeFileSync(join(dir, 'texts.txt'), 'The cat sat on the mat and looked at the door. A dog ran after it.\n');
});

describe('radiomark radioactivity / ledger CLI', () => {
  it('prints help (exit 0) and rejects bad usage with one line (exit 2)', () => {
    expect(cli('radioactivity', '--help').code).toBe(0);
    const missing = cli('radioactivity', join(dir, 'good.jsonl'));
    expect(missing.code).toBe(2);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toMatch(/--key is required/);
    expect(cli('radioactivity', '--key', keyPath, '--bogus').code).toBe(2);
  });

  it('names the bad line and exits 2; --skip-bad-lines reports it and exits 0', () => {
    const bad = cli('radioactivity', '--key', keyPath, join(dir, 'bad.jsonl'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/line 2: not valid JSON/);
    const skipped = cli('radioactivity', '--key', keyPath, '--skip-bad-lines', '--controls', '5', '--json', join(dir, 'bad.jsonl'));
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.out).badLines).toEqual([{ line: 2, reason: 'not valid JSON' }]);
  });

  it('runs closed mode with a ledger filter and prints JSON', () => {
    const ledger = join(dir, 'emitted.rmledger');
    expect(cli('ledger', 'add', '--ledger', ledger, '--capacity', '1000', join(dir, 'good.jsonl')).code).toBe(0);
    const info = cli('ledger', 'info', '--json', ledger);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.out).window).toBe(2);
    const r = cli('radioactivity', '--key', keyPath, '--filter', ledger, '--controls', '20', '--json', join(dir, 'good.jsonl'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.nullHypothesis).toMatch(/independent of key K/);
    expect(report.controls.count).toBe(20);
    expect(report.scored).toBeGreaterThan(0);
    expect(report.filteredOut).toBe(0);
    expect(cli('ledger', 'info', join(dir, 'good.jsonl')).code).toBe(2);
  });

  it('runs open mode with a reference model (excess green mass) and refuses --reference without --open', () => {
    const model = join(dir, 'suspect.rmkn');
    const r = cli(
      'radioactivity',
      '--key',
      keyPath,
      '--open',
      join(dir, 'texts.txt'),
      '--model',
      model,
      '--reference',
      join(dir, 'clean.rmkn'),
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.statistic).toBe('green-mass');
    expect(report.scored).toBeGreaterThan(0);
    expect(report.notes.join(' ')).toMatch(/excess over the reference model/);
    expect(cli('radioactivity', '--key', keyPath, '--reference', model, join(dir, 'good.jsonl')).err).toMatch(/need --open/);
  });
});
