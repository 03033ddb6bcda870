import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { contextSeedPurpose, deriveSchemeKeys, deriveSubkey, keyId, rankPurpose } from '../../src/prf/derive.js';
import { sipKey } from '../../src/prf/siphash.js';
import vectors from './vectors.json' with { type: 'json' };
import { errorCode as code } from '../helpers/error-code.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

describe('deriveSubkey (HKDF-SHA256)', () => {
  it('matches the Python reference vectors', () => {
    expect(vectors.keys.length).toBeGreaterThanOrEqual(3);
    for (const k of vectors.keys) {
      const secret = unhex(k.secret);
      for (const [purpose, want] of Object.entries(k.subkeys)) {
        expect(hex(deriveSubkey(secret, purpose, 16)), purpose).toBe(want);
      }
      expect(hex(deriveSubkey(secret, 'key-id', 8))).toBe(k.keyId);
      expect(keyId(secret)).toBe(k.keyId);
      expect(hex(deriveSubkey(secret, 'key-id', 42))).toBe(k.subkeys42['key-id']);
    }
  });

  it('is HKDF with salt "radiomark/v1" and info "radiomark/v1/" + purpose', () => {
    const secret = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    const enc = new TextEncoder();
    const want = hkdf(sha256, secret, enc.encode('radiomark/v1'), enc.encode('radiomark/v1/rank/kgw'), 16);
    expect(hex(deriveSubkey(secret, 'rank/kgw', 16))).toBe(hex(want));
    expect(vectors.hkdf).toEqual({ salt: 'radiomark/v1', infoPrefix: 'radiomark/v1/' });
  });

  it('separates purposes and secrets', () => {
    const s = new Uint8Array(32);
    const a = hex(deriveSubkey(s, 'context-seed/kgw', 16));
    const b = hex(deriveSubkey(s, 'rank/kgw', 16));
    const c = hex(deriveSubkey(s, 'context-seed/gumbel', 16));
    s[31] = 1;
    const d = hex(deriveSubkey(s, 'context-seed/kgw', 16));
    expect(new Set([a, b, c, d]).size).toBe(4);
  });

  it('checks its inputs', () => {
    expect(code(() => deriveSubkey(new Uint8Array(31), 'key-id', 8))).toBe('INVALID_KEY');
    expect(code(() => deriveSubkey(new Uint8Array(33), 'key-id', 8))).toBe('INVALID_KEY');
    expect(code(() => deriveSubkey([1] as unknown as Uint8Array, 'key-id', 8))).toBe('INVALID_KEY');
    expect(code(() => deriveSubkey(new Uint8Array(32), '', 8))).toBe('INVALID_ARGUMENT');
    expect(code(() => deriveSubkey(new Uint8Array(32), 'x', 0))).toBe('INVALID_ARGUMENT');
    expect(code(() => deriveSubkey(new Uint8Array(32), 'x', 8161))).toBe('INVALID_ARGUMENT');
    expect(code(() => deriveSubkey(new Uint8Array(32), 'x', 1.5))).toBe('INVALID_ARGUMENT');
    expect(deriveSubkey(new Uint8Array(32), 'x', 8160)).toHaveLength(8160);
  });
});

describe('scheme keys', () => {
  it('uses the purposes context-seed/<scheme> and rank/<scheme>', () => {
    expect(contextSeedPurpose('kgw')).toBe('context-seed/kgw');
    expect(rankPurpose('kgw')).toBe('rank/kgw');
    expect(code(() => rankPurpose(''))).toBe('INVALID_ARGUMENT');
    const k = vectors.keys[0]!;
    const secret = unhex(k.secret);
    const { seedKey, rankKey } = deriveSchemeKeys(secret, 'kgw');
    expect(Array.from(seedKey)).toEqual(Array.from(sipKey(unhex(k.subkeys['context-seed/kgw']))));
    expect(Array.from(rankKey)).toEqual(Array.from(sipKey(unhex(k.subkeys['rank/kgw']))));
  });

  it('key id is 16 lowercase hex characters', () => {
    expect(keyId(new Uint8Array(32))).toMatch(/^[0-9a-f]{16}$/);
  });
});
