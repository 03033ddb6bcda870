import { readFile, stat } from 'node:fs/promises';
import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';
import { exportKey, importKey } from '../key/key-file.js';
import { writeFileAtomic } from './atomic-write.js';
import { describeFsError } from './fs-errors.js';

/**
 * Writes a key file (versioned JSON, secret included) readable only by its owner (mode 0600),
 * atomically (temp file, fsync, rename). Refuses to overwrite an existing file unless
 * `overwrite` is set; a symbolic link at `path` is then replaced, never followed.
 *
 * @example
 * ```ts
 * await saveKey(generateKey(), 'provider.key');
 * ```
 */
export async function saveKey(key: WatermarkKey, path: string, options: { overwrite?: boolean } = {}): Promise<void> {
  await writeSecretFile(path, exportKey(key), 'key file', options.overwrite);
}

/**
 * Writes a file holding a secret: atomic (old or new content, never a truncated file), mode
 * 0600, and an existing symbolic link at `path` is replaced itself, so overwriting never
 * reaches the file it points to. Shared by watermark and signing keys.
 *
 * @example
 * ```ts
 * await writeSecretFile('investigator.sign', text, 'signing key');
 * ```
 */
export async function writeSecretFile(path: string, text: string, label: string, overwrite = false): Promise<void> {
  await writeFileAtomic(path, text, {
    private: true,
    replace: overwrite ? 'any' : 'never',
    noFollow: true,
    label,
    code: 'KEY_FILE',
  });
}

/**
 * Reads a key file written by {@link saveKey} or `radiomark keygen`. With `warn`, a key file
 * readable by group or others (not 0600) is reported through it.
 *
 * @example
 * ```ts
 * const key = await loadKey('provider.key');
 * ```
 */
export async function loadKey(path: string, options: { warn?: (message: string) => void } = {}): Promise<WatermarkKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RadiomarkError('KEY_FILE', `cannot read key file ${path}: ${describeFsError(e)}`, { cause: e });
  }
  const key = importKey(text, `key file ${path}`);
  if (options.warn) {
    // The secret is in the file: readable by group or others means readable by more than you.
    const mode = (await stat(path)).mode & 0o777;
    if ((mode & 0o077) !== 0 && process.platform !== 'win32') {
      options.warn(`key file ${path} is readable by others (mode 0${mode.toString(8)}); run: chmod 600 ${path}`);
    }
  }
  return key;
}
