import { chmod, readFile, writeFile } from 'node:fs/promises';
import { RadiomarkError } from '../base/errors.js';
import { exportSigningKey, importSigningKey, type SigningKey } from '../evidence/signing-key.js';
import { describeFsError } from './fs-errors.js';

/**
 * Writes an Ed25519 signing-key file readable only by its owner (mode 0600); refuses to
 * overwrite unless `overwrite` is set.
 *
 * @example
 * ```ts
 * await saveSigningKey(generateSigningKey(), 'investigator.sign');
 * ```
 */
export async function saveSigningKey(key: SigningKey, path: string, options: { overwrite?: boolean } = {}): Promise<void> {
  try {
    await writeFile(path, exportSigningKey(key), { mode: 0o600, flag: options.overwrite ? 'w' : 'wx' });
    await chmod(path, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? 'file exists (choose another path or allow overwriting)' : describeFsError(e);
    throw new RadiomarkError('KEY_FILE', `cannot write signing key ${path}: ${why}`, { cause: e });
  }
}

/**
 * Reads a signing-key file written by {@link saveSigningKey} (`radiomark keygen --signing`).
 *
 * @example
 * ```ts
 * const signer = await loadSigningKey('investigator.sign');
 * ```
 */
export async function loadSigningKey(path: string): Promise<SigningKey> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RadiomarkError('KEY_FILE', `cannot read signing key ${path}: ${describeFsError(e)}`, { cause: e });
  }
  return importSigningKey(text, `signing key ${path}`);
}
