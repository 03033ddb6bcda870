import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledger } from '../../src/cli/commands/ledger.js';
import { getTokenizer } from '../../src/key/tokenizer.js';
import { AccountLedger } from '../../src/ledger/account-ledger.js';
import { EmissionLedger } from '../../src/ledger/emission-ledger.js';
import { humanParagraphs } from '../helpers/human-text.js';

// Concurrent `ledger add` runs on one ledger (issue #13, item 1): each writer merges its
// windows into the file under the ledger's lock, so the result equals one sequential run.
const dir = mkdtempSync(join(tmpdir(), 'radiomark-ledger-lock-'));
const file = (name: string) => join(dir, name);
const paragraphs = humanParagraphs(4000);
const inputs = Array.from({ length: 4 }, (_, i) => {
  const path = file(`in-${i}.txt`);
  writeFileSync(path, paragraphs.slice(4 * i, 4 * i + 4).join('\n\n'));
  return path;
});
const tokenizer = getTokenizer('o200k_base');
const CAPACITY = ['--capacity', '100000'];

function expectedAccounts(writers: number): AccountLedger {
  const all = AccountLedger.create({ window: 2 });
  for (let i = 0; i < writers; i++) all.record(100 + i, tokenizer.encode(readFileSync(inputs[i]!, 'utf8')));
  return all;
}

function expectedEmissions(writers: number): EmissionLedger {
  const all = EmissionLedger.create({ window: 2, capacity: 100_000 });
  for (let i = 0; i < writers; i++) all.record(tokenizer.encode(readFileSync(inputs[i]!, 'utf8')));
  return all;
}

const addArgs = (kind: 'owners' | 'ledger', target: string, i: number) =>
  kind === 'owners'
    ? ['add', '--owners', target, '--account', String(100 + i), inputs[i]!]
    : ['add', '--ledger', target, ...CAPACITY, inputs[i]!];

function readBack(path: string) {
  const bytes = readFileSync(path);
  return bytes.subarray(0, 8).toString('latin1') === 'RMOWNERS'
    ? AccountLedger.fromBytes(bytes).info()
    : EmissionLedger.fromBytes(bytes).info();
}

describe('concurrent ledger add', () => {
  for (const writers of [2, 4]) {
    for (const kind of ['owners', 'ledger'] as const) {
      it(`${writers} in-process writers on one ${kind === 'owners' ? 'account' : 'emission'} ledger lose nothing`, async () => {
        const target = file(`${kind}-${writers}.bin`);
        await Promise.all(Array.from({ length: writers }, (_, i) => ledger(addArgs(kind, target, i), () => undefined)));
        const got = readBack(target);
        if (kind === 'owners') {
          const want = expectedAccounts(writers).info();
          expect(got).toMatchObject({ windows: want.windows, exclusive: want.exclusive });
        } else {
          expect((got as ReturnType<EmissionLedger['info']>).fill).toBe(expectedEmissions(writers).info().fill);
        }
      });
    }
  }

  it('2 simultaneous CLI processes on one account ledger lose nothing and leave no lock or temp file', async () => {
    const target = file('processes.rmowners');
    const runs = inputs.slice(0, 2).map(
      (_, i) =>
        new Promise<{ code: number | null; err: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ledger', ...addArgs('owners', target, i)]);
          let err = '';
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('close', (code) => resolve({ code, err }));
        }),
    );
    for (const r of await Promise.all(runs)) expect(r).toEqual({ code: 0, err: '' });
    const want = expectedAccounts(2).info();
    expect(readBack(target)).toMatchObject({ windows: want.windows, exclusive: want.exclusive });
    expect(readdirSync(dir).filter((f) => f.startsWith('processes') || f.startsWith('.processes'))).toEqual(['processes.rmowners']);
  }, 60_000);
});
