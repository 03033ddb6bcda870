import { createWatermark, importKey, type Watermark, type WatermarkKey } from '../../src/core.js';

/**
 * A key read from a file, with its watermark.
 *
 * @example
 * ```ts
 * const { watermark }: LoadedKey = await readKeyFile(file);
 * ```
 */
export interface LoadedKey {
  key: WatermarkKey;
  watermark: Watermark;
  /** One line describing the key's public part (never the secret). */
  summary: string;
}

/**
 * Reads and validates a key file chosen or dropped by the user. Throws a RadiomarkError
 * (code KEY_FILE) with a one-line message that never quotes the secret.
 *
 * @example
 * ```ts
 * const { watermark, summary } = await readKeyFile(input.files[0]);
 * ```
 */
export async function readKeyFile(file: File): Promise<LoadedKey> {
  const key = importKey(await file.text(), file.name || 'key file');
  const p = key.params;
  const summary =
    `Key ${key.id}: ${p.scheme}, γ = ${p.gamma}, δ = ${p.delta}, window h = ${p.window}, ` +
    `${p.seeding} seeding, ${p.tokenizer} tokenizer`;
  return { key, watermark: createWatermark(key), summary };
}
