/**
 * Sub-key derivation: HKDF-SHA256 (RFC 5869) from the 32-byte master secret, one sub-key per
 * purpose, domain-separated by the HKDF `info` string. Specified in docs/SPEC.md §2.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { RadiomarkError } from '../base/errors.js';
import { sipKey, type SipKey } from './siphash.js';

/** Length of a radiomark master secret in bytes. */
export const MASTER_SECRET_BYTES = 32;
/** HKDF salt (UTF-8). */
export const KDF_SALT = 'radiomark/v1';
/** Prefix of every HKDF `info` string (UTF-8); the purpose follows it. */
export const KDF_INFO_PREFIX = 'radiomark/v1/';
/** Largest output HKDF-SHA256 can produce (255 blocks of 32 bytes). */
const HKDF_MAX_BYTES = 255 * 32;

const utf8 = new TextEncoder();
const SALT_BYTES = utf8.encode(KDF_SALT);

/**
 * Derives `length` bytes for `purpose` from the master secret:
 * `HKDF-SHA256(ikm = secret, salt = "radiomark/v1", info = "radiomark/v1/" + purpose, length)`.
 *
 * Throws `INVALID_KEY` unless `secret` is a 32-byte `Uint8Array`, and `INVALID_ARGUMENT` for an
 * empty purpose or a length outside 1..8160.
 *
 * @example
 * ```ts
 * const seedKey = deriveSubkey(secret, 'context-seed/kgw', 16);
 * ```
 */
export function deriveSubkey(secret: Uint8Array, purpose: string, length: number): Uint8Array {
  if (!(secret instanceof Uint8Array) || secret.length !== MASTER_SECRET_BYTES) {
    throw new RadiomarkError('INVALID_KEY', `master secret must be ${MASTER_SECRET_BYTES} bytes`);
  }
  if (typeof purpose !== 'string' || purpose.length === 0) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'sub-key purpose must be a non-empty string');
  }
  if (!Number.isInteger(length) || length < 1 || length > HKDF_MAX_BYTES) {
    throw new RadiomarkError('INVALID_ARGUMENT', `sub-key length must be an integer in 1..${HKDF_MAX_BYTES}`);
  }
  return hkdf(sha256, secret, SALT_BYTES, utf8.encode(KDF_INFO_PREFIX + purpose), length);
}

/** Purpose string of the context-seed SipHash key of a scheme (e.g. `"context-seed/kgw"`). */
export function contextSeedPurpose(scheme: string): string {
  checkScheme(scheme);
  return `context-seed/${scheme}`;
}

/** Purpose string of the token-rank SipHash key of a scheme (e.g. `"rank/kgw"`). */
export function rankPurpose(scheme: string): string {
  checkScheme(scheme);
  return `rank/${scheme}`;
}

/** The two SipHash keys a seeding scheme needs. */
export interface SchemeKeys {
  /** Keys the context seed: `SipHash24(seedKey, window message)`. */
  readonly seedKey: SipKey;
  /** Keys the token ranks used by `minhash` and `selfhash`. */
  readonly rankKey: SipKey;
}

/**
 * Derives the context-seed and rank SipHash keys of `scheme` (16 bytes each).
 *
 * @example
 * ```ts
 * const { seedKey, rankKey } = deriveSchemeKeys(secret, 'kgw');
 * ```
 */
export function deriveSchemeKeys(secret: Uint8Array, scheme: string): SchemeKeys {
  return {
    seedKey: sipKey(deriveSubkey(secret, contextSeedPurpose(scheme), 16)),
    rankKey: sipKey(deriveSubkey(secret, rankPurpose(scheme), 16)),
  };
}

/**
 * The public key id: the 8-byte HKDF output for purpose `"key-id"`, as 16 lowercase hex
 * characters. Safe to print; reveals nothing usable about the secret.
 */
export function keyId(secret: Uint8Array): string {
  const id = deriveSubkey(secret, 'key-id', 8);
  let s = '';
  for (let i = 0; i < id.length; i++) s += id[i]!.toString(16).padStart(2, '0');
  return s;
}

function checkScheme(scheme: string): void {
  if (typeof scheme !== 'string' || scheme.length === 0) {
    throw new RadiomarkError('INVALID_ARGUMENT', 'scheme name must be a non-empty string');
  }
}
