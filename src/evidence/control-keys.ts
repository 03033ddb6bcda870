import { sha256 } from '@noble/hashes/sha2.js';
import { WatermarkKey, SECRET_BYTES } from '../key/key.js';
import type { WatermarkParams } from '../key/params.js';
import { hexToBytes } from './hex.js';

const TAG = new TextEncoder().encode('radiomark/v1/control-key');

/**
 * The wrong keys of an evidence bundle's controls, derived from a public seed (16 bytes, hex):
 * secret i = SHA-256(tag || seed || i as 4 bytes big-endian). They are as independent of the
 * tested key as fresh random keys (the seed is drawn before reading and never depends on the
 * key), and anyone can re-derive them, so the control results are reproducible.
 *
 * @example
 * ```ts
 * const controls = controlKeys(key.params, bundle.invocation.controlSeed, 20);
 * ```
 */
export function controlKeys(params: WatermarkParams, seedHex: string, count: number): WatermarkKey[] {
  const seed = hexToBytes(seedHex, 16, 'control seed');
  return Array.from({ length: count }, (_, i) => {
    const message = new Uint8Array(TAG.length + seed.length + 4);
    message.set(TAG);
    message.set(seed, TAG.length);
    new DataView(message.buffer).setUint32(TAG.length + seed.length, i, false);
    return new WatermarkKey(sha256(message).subarray(0, SECRET_BYTES), params);
  });
}
