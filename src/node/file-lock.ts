import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { RadiomarkError } from '../base/errors.js';
import { processAlive, resolveOutputPath } from './atomic-write.js';
import { describeFsError } from './fs-errors.js';

/**
 * Options of {@link withFileLock}.
 *
 * @example
 * ```ts
 * const options: FileLockOptions = { waitMs: 5_000, label: 'ledger' };
 * ```
 */
export interface FileLockOptions {
  /** How long to wait for another holder to finish before refusing (default {@link LOCK_WAIT_MS}). */
  readonly waitMs?: number;
  /** What the locked file is, for messages (default `'file'`). */
  readonly label?: string;
}

/** Default bounded wait of {@link withFileLock}: 30 s. */
export const LOCK_WAIT_MS = 30_000;

// A lock file with no pid yet is being created; past this age its creator died first.
const EMPTY_LOCK_STALE_MS = 10_000;

/**
 * Runs `fn` while holding an advisory lock on `path` (its symbolic links followed): the file
 * `PATH.lock`, created exclusively and holding the holder's pid. Another holder is waited for
 * up to `waitMs`, then the call fails with code `LOCKED` ("in use by pid N"); a lock left by a
 * process that no longer runs is removed. Every radiomark writer of ledgers takes this lock
 * around its read-modify-write, so concurrent writers never lose each other's records.
 *
 * @example
 * ```ts
 * await withFileLock('owners.rmowners', async () => {
 *   const ledger = (await readLedgerFile('owners.rmowners', true))?.ledger;
 *   await writeLedgerFile('owners.rmowners', merged(ledger).toBytes());
 * });
 * ```
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lockPath = `${await resolveOutputPath(path)}.lock`;
  const token = `${process.pid} ${randomBytes(4).toString('hex')}\n`;
  await acquire(path, lockPath, token, options);
  try {
    return await fn();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(path: string, lockPath: string, token: string, options: FileLockOptions): Promise<void> {
  const deadline = Date.now() + (options.waitMs ?? LOCK_WAIT_MS);
  for (;;) {
    if (await tryCreate(path, lockPath, token, options)) return;
    const holder = await readHolder(lockPath);
    if (holder === 'gone') continue;
    if (holder === 'stale') {
      await breakStale(lockPath);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder === undefined ? 'another process' : `pid ${holder}`;
      throw new RadiomarkError(
        'LOCKED',
        `${options.label ?? 'file'} ${path} is in use by ${who} (lock ${lockPath}); retry when it finishes, or remove the lock file if that process is gone`,
      );
    }
    await new Promise((r) => setTimeout(r, 40 + Math.random() * 60));
  }
}

async function tryCreate(path: string, lockPath: string, token: string, options: FileLockOptions): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx', 0o644);
    try {
      await handle.writeFile(token);
    } finally {
      await handle.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new RadiomarkError('LOCKED', `cannot lock ${options.label ?? 'file'} ${path}: ${describeFsError(e)}`, { cause: e });
  }
}

// The holder's pid; 'stale' when it no longer runs, 'gone' when the lock vanished meanwhile.
async function readHolder(lockPath: string): Promise<number | 'stale' | 'gone' | undefined> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch {
    return 'gone';
  }
  const pid = Number(text.split(' ')[0]);
  if (text.trim() === '' || !Number.isSafeInteger(pid)) {
    const age = await stat(lockPath).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    return age > EMPTY_LOCK_STALE_MS ? 'stale' : undefined;
  }
  return processAlive(pid) ? pid : 'stale';
}

// Renaming is atomic: of several processes breaking the same stale lock, one moves it away.
// If what was moved turns out to be a live lock taken meanwhile, it is put back.
async function breakStale(lockPath: string): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const text = await readFile(aside, 'utf8').catch(() => '');
  const pid = Number(text.split(' ')[0]);
  if (text.trim() !== '' && processAlive(pid)) {
    await rename(aside, lockPath).catch(() => undefined);
    return;
  }
  await unlink(aside).catch(() => undefined);
}

async function release(lockPath: string, token: string): Promise<void> {
  const text = await readFile(lockPath, 'utf8').catch(() => undefined);
  if (text === token) await unlink(lockPath).catch(() => undefined);
}
