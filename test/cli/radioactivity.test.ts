import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/key/key.js';
import { saveKey } from '../../src/node/key-store.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-cli-'));
const keyPath = join(dir, 'k.json');
const cli = (...args: string[]) => runCli(args);
const line = (c: string) => JSON.stringify({ prompt: 'Write a sentence.', completion: c });

beforeAll(async () => {
  await saveKey(generateKey({ window: 2 }), keyPath);
  writeFileSync(join(dir, 'good.jsonl'), `${line('The cat sat on the mat and looked at the door.')}\n${line('A dog ran.')}\n`);
  writeFileSync(join(dir, 'bad.jsonl'), `${line('The cat sat.')}\nnot json\n`);
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
});
