import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRadiomarkError } from '../../src/base/errors.js';
import { checkOutputPath, removeStaleTemps, writeFileAtomic } from '../../src/node/atomic-write.js';
import { withFileLock } from '../../src/node/file-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-atomic-'));
const file = (name: string) => join(dir, name);
const mode = (path: string) => statSync(path).mode & 0o777;

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    expect(isRadiomarkError(e)).toBe(true);
    return e as { code: string; message: string };
  }
  throw new Error('expected a RadiomarkError');
}

describe('writeFileAtomic', () => {
  it('creates a file and keeps the mode of an existing one; private files are 0600', async () => {
    await writeFileAtomic(file('a'), 'one');
    chmodSync(file('a'), 0o640);
    await writeFileAtomic(file('a'), 'two');
    expect(readFileSync(file('a'), 'utf8')).toBe('two');
    expect(mode(file('a'))).toBe(0o640);
    chmodSync(file('a'), 0o644);
    await writeFileAtomic(file('a'), 'three', { private: true });
    expect(mode(file('a'))).toBe(0o600);
  });

  it('follows a symbolic link to its target, or replaces the link itself with noFollow', async () => {
    writeFileSync(file('target'), 'old');
    symlinkSync('target', file('link'));
    await writeFileAtomic(file('link'), 'new');
    expect(lstatSync(file('link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(file('target'), 'utf8')).toBe('new');
    await writeFileAtomic(file('link'), 'own', { noFollow: true });
    expect(lstatSync(file('link')).isSymbolicLink()).toBe(false);
    expect(readFileSync(file('target'), 'utf8')).toBe('new');
    expect(readFileSync(file('link'), 'utf8')).toBe('own');
  });

  it("refuses to replace a file of another kind, or anything with replace: 'never'", async () => {
    writeFileSync(file('secret.key'), '{"format":"radiomark-key"}');
    const isLedger = (head: Uint8Array) => new TextDecoder().decode(head.subarray(0, 8)) === 'RMLEDGER';
    const e = await errorOf(writeFileAtomic(file('secret.key'), 'RMLEDGER...', { replace: isLedger }));
    expect(e.code).toBe('OUTPUT_FILE');
    expect(e.message).toMatch(/refusing to overwrite .*secret\.key/);
    expect((await errorOf(writeFileAtomic(file('secret.key'), 'x', { replace: 'never' }))).message).toMatch(/file exists/);
    expect(readFileSync(file('secret.key'), 'utf8')).toBe('{"format":"radiomark-key"}');
    // An empty file holds nothing to lose.
    writeFileSync(file('empty'), '');
    await writeFileAtomic(file('empty'), 'RMLEDGER', { replace: isLedger });
    expect(readFileSync(file('empty'), 'utf8')).toBe('RMLEDGER');
  });

  it('reports a directory, a missing directory and a special file on one line, leaving no temp file', async () => {
    mkdirSync(file('d'));
    expect((await errorOf(writeFileAtomic(file('d'), 'x'))).message).toMatch(/is a directory/);
    expect((await errorOf(writeFileAtomic(file('missing/x'), 'x'))).message).toMatch(/no such directory/);
    expect((await errorOf(writeFileAtomic('/dev/null', 'x'))).message).toMatch(/not a regular file/);
    expect((await errorOf(checkOutputPath(file('d/../missing/y')))).message).toMatch(/no such directory/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('removes temp files left by dead writers, never those of a live one', async () => {
    const dead = file('.a.radiomark-999999999-0123abcd.tmp');
    const live = file(`.a.radiomark-${process.pid}-0123abcd.tmp`);
    writeFileSync(dead, 'partial');
    writeFileSync(live, 'in progress');
    expect(await removeStaleTemps(file('a'))).toBe(1);
    expect(readdirSync(dir)).toContain(`.a.radiomark-${process.pid}-0123abcd.tmp`);
    expect(readdirSync(dir)).not.toContain('.a.radiomark-999999999-0123abcd.tmp');
  });
});

describe('withFileLock', () => {
  it('serializes read-modify-write cycles: 8 concurrent increments lose none', async () => {
    writeFileSync(file('counter'), '0');
    const increment = () =>
      withFileLock(file('counter'), async () => {
        const n = Number(readFileSync(file('counter'), 'utf8'));
        await new Promise((r) => setTimeout(r, 5));
        await writeFileAtomic(file('counter'), String(n + 1));
      });
    await Promise.all(Array.from({ length: 8 }, increment));
    expect(readFileSync(file('counter'), 'utf8')).toBe('8');
    expect(readdirSync(dir)).not.toContain('counter.lock');
  });

  it('refuses after the bounded wait with the holder pid, and breaks the lock of a dead process', async () => {
    writeFileSync(file('held.lock'), `${process.pid} 00000000\n`);
    const e = await errorOf(withFileLock(file('held'), async () => 1, { waitMs: 150, label: 'ledger' }));
    expect(e.code).toBe('LOCKED');
    expect(e.message).toContain(`in use by pid ${process.pid}`);
    writeFileSync(file('held.lock'), '999999999 00000000\n');
    expect(await withFileLock(file('held'), async () => 42, { waitMs: 150 })).toBe(42);
    expect(readdirSync(dir).filter((f) => f.startsWith('held'))).toEqual([]);
  });
});
