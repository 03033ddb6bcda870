import { randomBytes } from 'node:crypto';
import { link, lstat, open, readdir, readlink, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { RadiomarkError, type RadiomarkErrorCode } from '../base/errors.js';
import { describeFsError } from './fs-errors.js';

/**
 * How {@link writeFileAtomic} may treat an existing file at the target path.
 *
 * @example
 * ```ts
 * const replace: ReplacePolicy = (head) => Buffer.from(head).toString('latin1').startsWith('RMLEDGER');
 * ```
 */
export type ReplacePolicy = 'never' | 'any' | ((head: Uint8Array) => boolean);

/**
 * Options of {@link writeFileAtomic} and {@link checkOutputPath}.
 *
 * @example
 * ```ts
 * const options: AtomicWriteOptions = { private: true, replace: 'never', label: 'key file', code: 'KEY_FILE' };
 * ```
 */
export interface AtomicWriteOptions {
  /** Mode 0600 whatever the existing file's mode (keys, account ledgers, reports revealing green lists). */
  readonly private?: boolean;
  /**
   * An existing file is replaced when `'any'`; never when `'never'`; with a function, only when
   * it is empty or the function accepts its first {@link HEAD_BYTES} bytes (a file of the kind
   * being written). Default: `'any'`.
   */
  readonly replace?: ReplacePolicy;
  /** Replace a symbolic link itself instead of the file it points to (default: follow the link). */
  readonly noFollow?: boolean;
  /** What the file is, for messages, e.g. `'key file'` (default `'output file'`). */
  readonly label?: string;
  /** Error code of failures (default `'OUTPUT_FILE'`). */
  readonly code?: RadiomarkErrorCode;
}

/** Bytes of an existing file a {@link ReplacePolicy} function sees. */
export const HEAD_BYTES = 1024;

// `.NAME.radiomark-PID-RANDOM.tmp`: hidden, recognisable, and names its writer's pid.
const TEMP_PATTERN = /^\.(.+)\.radiomark-(\d+)-[0-9a-f]{8}\.tmp$/;

/**
 * Writes `data` to `path` so that a reader (or a crash) only ever sees the old file or the
 * new one: a temporary file in the same directory, flushed with fsync, then renamed over
 * the target. An existing target keeps its mode (0600 when `private`); a symbolic link is
 * followed and its target replaced (unless `noFollow`); an existing file of another kind is
 * refused (see {@link AtomicWriteOptions.replace}); stale temporary files of earlier killed
 * writers to the same target are removed. Failures are one-line `RadiomarkError`s.
 *
 * @example
 * ```ts
 * await writeFileAtomic('owners.rmowners', ledger.toBytes(), { private: true, replace: isAccountLedger });
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const target = await checkOutputPath(path, options);
  await removeStaleTemps(target.path);
  const temp = join(dirname(target.path), `.${basename(target.path)}.radiomark-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = options.private ? 0o600 : target.mode;
  try {
    await writeTemp(temp, data, mode);
    if (target.exists || options.replace !== 'never') await rename(temp, target.path);
    else await linkExclusive(temp, target.path);
    await syncDirectory(dirname(target.path));
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw fail(path, e, options);
  }
}

/**
 * Checks, before any work, that {@link writeFileAtomic} could write `path` with these
 * options: the directory exists, the path is not a directory or a special file, and an
 * existing file may be replaced. Returns the path that would be written (a followed link's
 * target), whether it exists, and the mode it would get.
 *
 * @example
 * ```ts
 * await checkOutputPath('report.html', { replace: isDemoReport, label: 'demo report' }); // throws if not writable
 * ```
 */
export async function checkOutputPath(
  path: string,
  options: AtomicWriteOptions = {},
): Promise<{ path: string; exists: boolean; mode: number | undefined }> {
  try {
    const real = options.noFollow ? path : await resolveOutputPath(path);
    const info = await lstat(real).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    const dir = await stat(dirname(real));
    if (!dir.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    if (!info) return { path: real, exists: false, mode: undefined };
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (options.noFollow && info.isSymbolicLink()) {
      if (options.replace === 'never') throw Object.assign(new Error('exists'), { code: 'EEXIST' });
      return { path: real, exists: true, mode: undefined };
    }
    if (!info.isFile()) throw new RadiomarkError(options.code ?? 'OUTPUT_FILE', `cannot write ${path}: not a regular file`);
    await checkReplace(real, info.size, options);
    return { path: real, exists: true, mode: info.mode & 0o7777 };
  } catch (e) {
    throw fail(path, e, options);
  }
}

/**
 * Deletes temporary files that {@link writeFileAtomic} left beside `path` when its process
 * was killed (their writer's pid no longer runs). Returns how many it removed.
 *
 * @example
 * ```ts
 * await removeStaleTemps('owners.rmowners'); // 0 when nothing was left behind
 * ```
 */
export async function removeStaleTemps(path: string): Promise<number> {
  const dir = dirname(path);
  const name = basename(path);
  let removed = 0;
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    const m = TEMP_PATTERN.exec(entry);
    if (!m || m[1] !== name || processAlive(Number(m[2]))) continue;
    await unlink(join(dir, entry)).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

/**
 * True while process `pid` runs (or runs as another user); false once it has exited.
 *
 * @example
 * ```ts
 * processAlive(process.pid); // true
 * ```
 */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function writeTemp(temp: string, data: string | Uint8Array, mode: number | undefined): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', mode ?? 0o666);
    // The umask applied at creation; an existing target's mode (or 0600) is kept exactly.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle?.close();
  }
}

// A hard link fails if the name exists, so a file created meanwhile is never replaced.
async function linkExclusive(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    // File systems without hard links: check then rename (a narrow race, as with O_EXCL over NFS v2).
    if (
      await lstat(target).then(
        () => true,
        () => false,
      )
    )
      throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    await rename(temp, target);
    return;
  }
  await unlink(temp);
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename durable; some platforms cannot open or fsync a directory.
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

/**
 * The absolute path a write to `path` lands on: symbolic links followed to their final
 * target (which need not exist yet).
 *
 * @example
 * ```ts
 * await resolveOutputPath('current.rmowners'); // '/data/ledgers/2024-06.rmowners' when current.rmowners links there
 * ```
 */
export async function resolveOutputPath(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const info = await lstat(current).catch(() => undefined);
    if (!info?.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' });
}

async function checkReplace(real: string, size: number, options: AtomicWriteOptions): Promise<void> {
  const policy = options.replace ?? 'any';
  if (policy === 'any') return;
  if (policy === 'never') throw Object.assign(new Error('exists'), { code: 'EEXIST' });
  if (size === 0) return;
  const handle = await open(real, 'r');
  try {
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    if (!policy(head)) {
      throw new RadiomarkError(
        options.code ?? 'OUTPUT_FILE',
        `refusing to overwrite ${real}: it exists and is not a file of this kind (${options.label ?? 'output'}); remove it, or --force`,
      );
    }
  } finally {
    await handle.close();
  }
}

function fail(path: string, e: unknown, options: AtomicWriteOptions): RadiomarkError {
  if (e instanceof RadiomarkError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'EEXIST'
      ? 'file exists (choose another path or allow overwriting)'
      : code === 'ENOENT' || code === 'ENOTDIR'
        ? 'no such directory'
        : code === 'ENOSPC'
          ? 'no space left on device'
          : code === 'EROFS'
            ? 'read-only file system'
            : describeFsError(e);
  return new RadiomarkError(options.code ?? 'OUTPUT_FILE', `cannot write ${options.label ?? 'file'} ${path}: ${why}`, { cause: e });
}
