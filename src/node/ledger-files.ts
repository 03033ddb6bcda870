import { open, readFile } from 'node:fs/promises';
import { RadiomarkError } from '../base/errors.js';
import { ACCOUNT_LEDGER_MAGIC, AccountLedger } from '../ledger/account-ledger.js';
import { EmissionLedger, LEDGER_MAGIC } from '../ledger/emission-ledger.js';
import { writeFileAtomic } from './atomic-write.js';
import { describeFsError } from './fs-errors.js';

/** A ledger file of either kind, told apart by its 8-byte magic. */
export type LedgerFile = { kind: 'emission'; ledger: EmissionLedger } | { kind: 'account'; ledger: AccountLedger };

/**
 * Reads an emission ledger ("RMLEDGER") or an account ledger ("RMOWNERS"); anything else is
 * an `INPUT_FORMAT` error naming the file, as is a corrupt ledger. With `missingOk`, a file
 * that does not exist gives `undefined`.
 *
 * @example
 * ```ts
 * const file = await readLedgerFile('owners.rmowners');
 * if (file.kind === 'account') file.ledger.ownerOf(ids, end);
 * ```
 */
export async function readLedgerFile(path: string, missingOk: true): Promise<LedgerFile | undefined>;
export async function readLedgerFile(path: string, missingOk?: false): Promise<LedgerFile>;
export async function readLedgerFile(path: string, missingOk = false): Promise<LedgerFile | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if (missingOk && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RadiomarkError('INPUT_FORMAT', `cannot read ledger ${path}: ${describeFsError(e)}`);
  }
  // Anything but an account ledger gets the emission ledger's messages (bad magic, too short).
  if (magicOf(bytes) === ACCOUNT_LEDGER_MAGIC) return { kind: 'account', ledger: AccountLedger.fromBytes(bytes, path) };
  return { kind: 'emission', ledger: EmissionLedger.fromBytes(bytes, path) };
}

/**
 * Reads an account ledger for a key with window `window` and tokenizer `tokenizer`: an
 * emission ledger, a corrupt file or other parameters are an `INPUT_FORMAT` error naming the
 * file (windows of another length or tokenizer would never match the suspect's).
 *
 * @example
 * ```ts
 * const owners = await loadAccountLedger('owners.rmowners', key.params.window, key.params.tokenizer);
 * ```
 */
export async function loadAccountLedger(path: string, window: number, tokenizer: string): Promise<AccountLedger> {
  const file = await readLedgerFile(path);
  if (file.kind !== 'account') {
    throw new RadiomarkError(
      'INPUT_FORMAT',
      `${path} is an emission ledger (a Bloom filter of windows); an account ledger records who received each window`,
    );
  }
  const { ledger } = file;
  if (ledger.window !== window) {
    throw new RadiomarkError('INPUT_FORMAT', `${path}: account ledger records windows of h=${ledger.window} but the key has h=${window}`);
  }
  if (ledger.tokenizer !== tokenizer) {
    throw new RadiomarkError('INPUT_FORMAT', `${path}: account ledger tokenizer ${ledger.tokenizer} differs from the key's ${tokenizer}`);
  }
  return ledger;
}

/**
 * Writes ledger bytes atomically (temp file, fsync, rename; see {@link writeFileAtomic}), so an
 * interrupted write never leaves a truncated ledger. An existing file at `path` must be a
 * ledger of the same kind (or empty) unless `force`; it keeps its mode, and account ledgers
 * are always 0600 (they say who received what). A symbolic link is updated where it points.
 * Failures are `OUTPUT_FILE` errors naming the file. Concurrent writers must hold
 * `withFileLock` (file-lock.ts) around their read-modify-write.
 *
 * @example
 * ```ts
 * await writeLedgerFile('owners.rmowners', ledger.toBytes());
 * ```
 */
export async function writeLedgerFile(path: string, bytes: Uint8Array, options: { force?: boolean } = {}): Promise<void> {
  const magic = magicOf(bytes);
  const account = magic === ACCOUNT_LEDGER_MAGIC;
  await writeFileAtomic(path, bytes, {
    private: account,
    replace: options.force ? 'any' : (head) => magicOf(head) === magic,
    label: account ? 'account ledger' : 'emission ledger',
  });
}

/**
 * The first 8 bytes of a file as Latin-1 (a ledger's magic), or `undefined` for standard
 * input (`-`) and files shorter than 8 bytes.
 *
 * @example
 * ```ts
 * if ((await readMagic(path)) === LEDGER_MAGIC) useEmissionLedger(path);
 * ```
 */
export async function readMagic(path: string): Promise<string | undefined> {
  if (path === '-') return undefined;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new RadiomarkError('INPUT_FORMAT', `cannot read ${path}: ${describeFsError(e)}`);
  }
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await handle.read(buf, 0, 8, 0);
    return bytesRead === 8 ? buf.toString('latin1') : undefined;
  } catch (e) {
    // A directory opens on Linux; reading it fails with EISDIR.
    throw new RadiomarkError('INPUT_FORMAT', `cannot read ${path}: ${describeFsError(e)}`);
  } finally {
    await handle.close();
  }
}

// Both magics are 8 bytes long, so one read tells the kinds apart.
function magicOf(bytes: Uint8Array): string | undefined {
  return bytes.length >= LEDGER_MAGIC.length ? Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1') : undefined;
}
