import { ed25519 } from '@noble/curves/ed25519.js';
import { RadiomarkError } from '../base/errors.js';
import { bytesToHex, hexToBytes } from './hex.js';

/** Format name of signing-key files. */
export const SIGNING_KEY_FORMAT = 'radiomark-signing-key';

// The secret lives outside the object (as for WatermarkKey): no dump or inspection reaches it.
const secrets = new WeakMap<SigningKey, Uint8Array>();

/**
 * An investigator's Ed25519 signing key. Printing, logging or `JSON.stringify` shows only the
 * public key.
 *
 * @example
 * ```ts
 * const key = generateSigningKey();
 * const signature = key.sign(new TextEncoder().encode('bundle'));
 * verifyEd25519(key.publicKey, message, signature); // true
 * ```
 */
export class SigningKey {
  /** Ed25519 public key, 64 hex characters: safe to publish. */
  readonly publicKey: string;

  /** @internal Use {@link generateSigningKey} or {@link importSigningKey}. */
  constructor(secret: Uint8Array) {
    if (!(secret instanceof Uint8Array) || secret.length !== 32)
      throw new RadiomarkError('INVALID_KEY', 'signing key secret must be 32 bytes');
    const copy = Uint8Array.from(secret);
    secrets.set(this, copy);
    this.publicKey = bytesToHex(ed25519.getPublicKey(copy));
    Object.freeze(this);
  }

  /** Ed25519 signature (64 bytes) of `message`. */
  sign(message: Uint8Array): Uint8Array {
    return ed25519.sign(message, secrets.get(this)!);
  }

  /** Public description only. */
  toString(): string {
    return `SigningKey(ed25519, public=${this.publicKey})`;
  }

  /** Public fields only. */
  toJSON(): { algorithm: 'ed25519'; publicKey: string } {
    return { algorithm: 'ed25519', publicKey: this.publicKey };
  }

  /** Node's `util.inspect` shows the public description. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * A new Ed25519 signing key from the platform CSPRNG.
 *
 * @example
 * ```ts
 * generateSigningKey().publicKey; // 64 hex
 * ```
 */
export function generateSigningKey(): SigningKey {
  return new SigningKey(ed25519.utils.randomSecretKey());
}

/**
 * The signing-key file text (versioned JSON, secret included: store it with mode 0600).
 *
 * @example
 * ```ts
 * const text = exportSigningKey(generateSigningKey());
 * ```
 */
export function exportSigningKey(key: SigningKey): string {
  const secret = secrets.get(key);
  if (!secret) throw new RadiomarkError('INVALID_KEY', 'not a radiomark signing key');
  return `${JSON.stringify({ format: SIGNING_KEY_FORMAT, version: 1, algorithm: 'ed25519', publicKey: key.publicKey, secret: bytesToHex(secret) }, null, 2)}\n`;
}

/**
 * Reads a signing-key file text; `KEY_FILE` error (never quoting the file) when malformed.
 *
 * @example
 * ```ts
 * const key = importSigningKey(exportSigningKey(generateSigningKey()));
 * ```
 */
export function importSigningKey(text: string, source = 'signing key'): SigningKey {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new RadiomarkError('KEY_FILE', `${source} is not JSON`);
  }
  if (parsed?.format !== SIGNING_KEY_FORMAT || parsed.version !== 1 || parsed.algorithm !== 'ed25519') {
    throw new RadiomarkError('KEY_FILE', `${source} is not a radiomark signing key (version 1, ed25519)`);
  }
  let secret: Uint8Array;
  try {
    secret = hexToBytes(parsed.secret, 32, 'secret');
  } catch {
    throw new RadiomarkError('KEY_FILE', `${source}: secret must be 64 hex characters`);
  }
  const key = new SigningKey(secret);
  if (key.publicKey !== parsed.publicKey) throw new RadiomarkError('KEY_FILE', `${source}: public key does not match the secret`);
  return key;
}

/**
 * Checks an Ed25519 signature; false (never a throw) for malformed keys or signatures.
 *
 * @example
 * ```ts
 * verifyEd25519(key.publicKey, message, key.sign(message)); // true
 * ```
 */
export function verifyEd25519(publicKeyHex: string, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, hexToBytes(publicKeyHex, 32, 'public key'));
  } catch {
    return false;
  }
}
