import { resolveParams, WatermarkKey, type WatermarkParams } from '../../src/index.js';

/**
 * A key with a secret derived from `seed`: statistical tests use fixed keys so that each run
 * checks the same thing (a fresh key per run makes any test at level alpha fail alpha of the time).
 */
export function fixedKey(seed: number, params: Partial<WatermarkParams> = {}): WatermarkKey {
  return new WatermarkKey(
    Uint8Array.from({ length: 32 }, (_, i) => (seed * 131 + i * 29 + 7) & 255),
    resolveParams(params),
  );
}
