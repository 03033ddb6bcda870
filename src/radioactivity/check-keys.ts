import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';

/**
 * Validates the tested keys and controls of a radioactivity test: at least one tested key,
 * of a supported scheme, all of the same scheme, window, seeding and tokenizer (they share one tape), and no
 * control equal to a tested key.
 *
 * @example
 * ```ts
 * checkTestKeys([key], wrongKeys);
 * ```
 */
export function checkTestKeys(
  keys: readonly WatermarkKey[],
  controls: readonly WatermarkKey[],
  schemes: readonly string[] = ['kgw'],
): void {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'give at least one key to test');
  }
  const p = keys[0]!.params;
  if (!schemes.includes(p.scheme)) {
    throw new RadiomarkError(
      'UNSUPPORTED',
      `this radioactivity test supports ${schemes.join(', ')} keys (key ${keys[0]!.id} is ${p.scheme})`,
    );
  }
  const ids = new Set(keys.map((k) => k.id));
  for (const k of [...keys, ...controls]) {
    const q = k.params;
    if (q.window !== p.window || q.seeding !== p.seeding || q.tokenizer !== p.tokenizer || q.scheme !== p.scheme) {
      throw new RadiomarkError(
        'INVALID_ARGUMENT',
        `key ${k.id} has other parameters than key ${keys[0]!.id}: all keys must share scheme, window, seeding and tokenizer`,
      );
    }
  }
  for (const c of controls) {
    if (ids.has(c.id)) throw new RadiomarkError('INVALID_ARGUMENT', `control key ${c.id} is also a tested key`);
  }
}
