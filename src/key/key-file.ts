import { RadiomarkError } from '../base/errors.js';
import { WatermarkKey, secretOf, SECRET_BYTES } from './key.js';
import { resolveParams } from './params.js';

/**
 * `format` and `version` fields of a key file.
 *
 * @example
 * ```ts
 * JSON.parse(exportKey(key)).format === KEY_FILE_FORMAT; // true
 * ```
 */
export const KEY_FILE_FORMAT = 'radiomark-key';
/** Current key-file version (see {@link KEY_FILE_FORMAT}). */
export const KEY_FILE_VERSION = 1;

/**
 * Serializes a key, secret included, to the versioned JSON key-file format. The output is
 * secret material: store it like a password (saveKey writes it with mode 0600).
 *
 * @example
 * ```ts
 * const text = exportKey(generateKey());
 * const same = importKey(text);
 * ```
 */
export function exportKey(key: WatermarkKey): string {
  const file = {
    format: KEY_FILE_FORMAT,
    version: KEY_FILE_VERSION,
    id: key.id,
    params: key.params,
    secret: toBase64(secretOf(key)),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Parses a key file (from {@link exportKey} or `radiomark keygen`). Every missing or
 * malformed field gives a RadiomarkError with code `KEY_FILE` naming the field; the error
 * never quotes the secret.
 *
 * @example
 * ```ts
 * const key = importKey(await (await fetch('/my.key')).text());
 * ```
 */
export function importKey(text: string, source = 'key file'): WatermarkKey {
  const fail = (why: string): never => {
    throw new RadiomarkError('KEY_FILE', `${source}: ${why}`);
  };
  let data: unknown;
  try {
    // A leading byte-order mark is dropped, as browsers' File.text() does (docs/SPEC.md §13).
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    fail('not valid JSON');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) fail('must be a JSON object');
  const file = data as Record<string, unknown>;
  if (file.format !== KEY_FILE_FORMAT) fail(`field "format" must be "${KEY_FILE_FORMAT}"`);
  if (file.version !== KEY_FILE_VERSION) {
    fail(`field "version" must be ${KEY_FILE_VERSION} (this radiomark reads version ${KEY_FILE_VERSION} key files)`);
  }
  if (typeof file.secret !== 'string') fail('field "secret" is missing or not a string');
  const secret = fromBase64(file.secret as string);
  if (!secret || secret.length !== SECRET_BYTES) fail(`field "secret" must be ${SECRET_BYTES} bytes of base64`);
  if (file.params === null || typeof file.params !== 'object') fail('field "params" is missing or not an object');
  let params;
  try {
    params = resolveParams(file.params as object, 'params');
  } catch (e) {
    fail(`field ${(e as Error).message}`);
  }
  const key = new WatermarkKey(secret as Uint8Array, params!);
  if (file.id !== undefined && file.id !== key.id) fail('field "id" does not match the secret (file damaged or edited)');
  return key;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
