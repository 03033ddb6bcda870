import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from './hex.js';
import { subkeyOf, type WatermarkKey } from '../key/key.js';
import type { WatermarkParams } from '../key/params.js';

/**
 * Domain-separation tag of key commitments (version 1), hashed first.
 *
 * @example
 * ```ts
 * COMMITMENT_DOMAIN; // 'radiomark/v1/key-commitment'
 * ```
 */
export const COMMITMENT_DOMAIN = 'radiomark/v1/key-commitment';

/** HKDF purpose of the 32-byte commitment sub-key (docs/SPEC.md, "Key commitment"). */
const COMMITMENT_PURPOSE = 'commitment';

const utf8 = new TextEncoder();

/**
 * The public commitment to a key: 64 lowercase hex characters,
 * `SHA-256(len32(tag) || tag || len32(c) || c || len32(p) || p)` where `tag` is
 * {@link COMMITMENT_DOMAIN}, `c` the 32-byte HKDF sub-key for purpose `"commitment"` and `p`
 * the canonical parameter string of {@link canonicalParams}. Stable for a key, reveals nothing
 * about the secret or its green lists, and binds the publisher to the key and its parameters
 * (docs/SPEC.md explains why). Publish it before any investigation.
 *
 * @example
 * ```ts
 * const published = keyCommitment(generateKey()); // 'a3f1…' (64 hex)
 * ```
 */
export function keyCommitment(key: WatermarkKey): string {
  const parts = [utf8.encode(COMMITMENT_DOMAIN), subkeyOf(key, COMMITMENT_PURPOSE, 32), utf8.encode(canonicalParams(key.params))];
  const total = parts.reduce((n, p) => n + 4 + p.length, 0);
  const message = new Uint8Array(total);
  const view = new DataView(message.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.length, false);
    message.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return bytesToHex(sha256(message));
}

/**
 * The parameters as one fixed string (fixed field order, numbers in JavaScript's shortest
 * round-trip form), as committed to by {@link keyCommitment}.
 *
 * @example
 * ```ts
 * canonicalParams(DEFAULT_PARAMS); // 'scheme=kgw;gamma=0.25;delta=2;window=2;seeding=lefthash;tokenizer=o200k_base;layers=30'
 * ```
 */
export function canonicalParams(p: WatermarkParams): string {
  return `scheme=${p.scheme};gamma=${p.gamma};delta=${p.delta};window=${p.window};seeding=${p.seeding};tokenizer=${p.tokenizer};layers=${p.layers}`;
}
