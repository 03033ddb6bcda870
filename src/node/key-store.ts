import { chmod, readFile, writeFile } from 'node:fs/promises';
import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';
import { exportKey, importKey } from '../key/key-file.js';
import { describeFsError } from './fs-errors.js';

/**
 * Writes a key file (versioned JSON, secret included) readable only by its owner (mode 0600).
 * Refuses to overwrite an existing file unless `overwrite` is set.
 *
 * @example
 * ```ts
 * await saveKey(generateKey(), 'provider.key');
 * ```
 */
export async function saveKey(key: WatermarkKey, path: string, options: { overwrite?: boolean } = {}): Promise<void> {
  try {
    await writeFile(path, exportKey(key), { mode: 0o600, flag: options.overwrite ? 'w' : 'wx' });
    // `mode` only applies when the file is created; enforce it for overwritten files too.
    await chmod(path, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? 'file exists (choose another path or allow overwriting)' : describeFsError(e);
    throw new RadiomarkError('KEY_FILE', `cannot write key file ${path}: ${why}`, { cause: e });
  }
}

/**
 * Reads a key file written by {@link saveKey} or `radiomark keygen`.
 *
 * @example
 * ```ts
 * const key = await loadKey('provider.key');
 * ```
 */
export async function loadKey(path: string): Promise<WatermarkKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RadiomarkError('KEY_FILE', `cannot read key file ${path}: ${describeFsError(e)}`, { cause: e });
  }
  return importKey(text, `key file ${path}`);
}
