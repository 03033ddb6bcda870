import { RadiomarkError } from '../base/errors.js';
import { resolveParams, type WatermarkParams } from './params.js';
import { deriveSubkey } from '../prf/derive.js';

/**
 * Length of the master secret in bytes.
 *
 * @example
 * ```ts
 * crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
 * ```
 */
export const SECRET_BYTES = 32;

// The secret lives outside the object so that no enumeration, JSON dump, spread or
// inspection of a key can reach it; only radiomark's own modules read it.
const secrets = new WeakMap<WatermarkKey, Uint8Array>();

/**
 * A watermark key: a 32-byte secret plus public parameters. Printing, logging or
 * `JSON.stringify` shows only the public key id and parameters, never the secret.
 *
 * @example
 * ```ts
 * const key = generateKey({ gamma: 0.25, window: 2 });
 * console.log(`${key}`); // WatermarkKey(id=3f9c…, kgw, gamma=0.25, …)
 * ```
 */
export class WatermarkKey {
  /** Key format version. */
  readonly version = 1;
  /** Public fingerprint of the secret (16 hex chars, HKDF "key-id"): safe to print. */
  readonly id: string;
  /** Public parameters. */
  readonly params: WatermarkParams;

  /** @internal Use {@link generateKey} or {@link importKey}. */
  constructor(secret: Uint8Array, params: WatermarkParams) {
    if (!(secret instanceof Uint8Array) || secret.length !== SECRET_BYTES) {
      throw new RadiomarkError('INVALID_KEY', `key secret must be ${SECRET_BYTES} bytes`);
    }
    const copy = Uint8Array.from(secret);
    secrets.set(this, copy);
    this.id = toHex(deriveSubkey(copy, 'key-id', 8));
    this.params = params;
    Object.freeze(this);
  }

  /** Public description: id and parameters, no secret. */
  toString(): string {
    const p = this.params;
    return `WatermarkKey(id=${this.id}, ${p.scheme}, gamma=${p.gamma}, delta=${p.delta}, window=${p.window}, seeding=${p.seeding}, tokenizer=${p.tokenizer})`;
  }

  /** Public fields only, so `JSON.stringify(key)` cannot leak the secret. */
  toJSON(): { version: number; id: string; params: WatermarkParams } {
    return { version: this.version, id: this.id, params: this.params };
  }

  /** Node's `util.inspect` (and so `console.log`) shows the public description. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * Makes a new key with a secret from the platform CSPRNG (`crypto.getRandomValues`).
 *
 * @example
 * ```ts
 * const key = generateKey({ window: 4, seeding: 'minhash' });
 * ```
 */
export function generateKey(params: Partial<WatermarkParams> = {}): WatermarkKey {
  const resolved = resolveParams(params);
  const cryptoApi = globalThis.crypto;
  if (!cryptoApi?.getRandomValues) {
    throw new RadiomarkError('UNSUPPORTED', 'no crypto.getRandomValues on this platform: cannot make a key');
  }
  return new WatermarkKey(cryptoApi.getRandomValues(new Uint8Array(SECRET_BYTES)), resolved);
}

/**
 * Derives a purpose-specific sub-key (HKDF-SHA256, see docs/SPEC.md). Internal to radiomark.
 * @internal
 */
export function subkeyOf(key: WatermarkKey, purpose: string, length = 16): Uint8Array {
  return deriveSubkey(secretOf(key), purpose, length);
}

/** The secret bytes of a key. Internal: only key-file export uses it. @internal */
export function secretOf(key: WatermarkKey): Uint8Array {
  const secret = secrets.get(key);
  if (!secret) throw new RadiomarkError('INVALID_KEY', 'not a radiomark key (use generateKey or loadKey)');
  return secret;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
