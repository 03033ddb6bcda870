import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountLedger } from '../../src/ledger/account-ledger.js';
import { removeStaleTemps } from '../../src/node/atomic-write.js';
import { loadKey } from '../../src/node/key-store.js';
import { seededRandom } from '../../src/base/rng.js';

// kill -9 at random points of key, ledger and report writing (issue #13, item 3): each file
// is always the old or the new one, complete, with its mode; never truncated.
const TRIALS = 3;

function startWriter(dir: string, input: string): Promise<ReturnType<typeof spawn>> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/atomic-writer-loop.ts', dir, input], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`writer exited with ${code}`)));
  });
}

// One writer per directory, killed at a random point once all three files exist; the next
// write to each target then removes the killed writer's temp files.
async function trial(delayMs: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'radiomark-kill-'));
  const input = join(dir, 'served.txt');
  writeFileSync(input, 'The quick brown fox jumps over the lazy dog. '.repeat(200));
  const child = await startWriter(dir, input);
  await new Promise((r) => setTimeout(r, delayMs));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  await loadKey(join(dir, 'provider.key'));
  expect(statSync(join(dir, 'provider.key')).mode & 0o777).toBe(0o600);
  expect(AccountLedger.fromBytes(readFileSync(join(dir, 'owners.rmowners'))).info().windows).toBeGreaterThan(0);
  expect(statSync(join(dir, 'owners.rmowners')).mode & 0o777).toBe(0o600);
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  expect(html).toMatch(/^<!doctype html>.*<\/html>$/s);
  expect(html.length).toBe((1 << 20) + 58);
  let removed = 0;
  for (const name of ['provider.key', 'owners.rmowners', 'report.html']) removed += await removeStaleTemps(join(dir, name));
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  return removed;
}

describe('kill -9 during writes', () => {
  it(`leaves complete old-or-new key, ledger and report files (${TRIALS} trials)`, async () => {
    const rng = seededRandom(13);
    const removed = await Promise.all(Array.from({ length: TRIALS }, () => trial(100 + rng() * 900)));
    expect(removed.every((n) => n >= 0)).toBe(true);
  }, 120_000);
});
