import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exportKey, generateKey, resolveParams, WatermarkKey } from '../../src/index.js';
import { canonicalParams, keyCommitment } from '../../src/evidence/key-commitment.js';
import { exportSigningKey, generateSigningKey, importSigningKey, verifyEd25519 } from '../../src/evidence/signing-key.js';
import { fixedKey } from '../helpers/fixed-key.js';

describe('keyCommitment', () => {
  it('is 64 hex, stable for a key, different for another secret or other parameters', () => {
    const key = generateKey();
    const c = keyCommitment(key);
    expect(c).toMatch(/^[0-9a-f]{64}$/);
    expect(keyCommitment(key)).toBe(c);
    const secret = JSON.parse(exportKey(key)) as { secret: string };
    const same = new WatermarkKey(Uint8Array.from(Buffer.from(secret.secret, 'base64')), key.params);
    expect(keyCommitment(same)).toBe(c);
    expect(keyCommitment(generateKey())).not.toBe(c);
    const otherGamma = new WatermarkKey(Uint8Array.from(Buffer.from(secret.secret, 'base64')), resolveParams({ gamma: 0.5 }));
    expect(keyCommitment(otherGamma)).not.toBe(c);
    expect(c).not.toContain(Buffer.from(secret.secret, 'base64').toString('hex'));
    expect(c).not.toContain(key.id);
  });

  it('has a fixed test vector (docs/SPEC.md)', () => {
    const key = new WatermarkKey(
      Uint8Array.from({ length: 32 }, (_, i) => i),
      resolveParams({}),
    );
    expect(canonicalParams(key.params)).toBe('scheme=kgw;gamma=0.25;delta=2;window=2;seeding=lefthash;tokenizer=o200k_base;layers=30');
    expect(keyCommitment(key)).toBe('9b959b333ee586f6c3ec64251aa1f0d09e9f2dfe877792fc8bb4a8c93f6f1ef5');
    expect(keyCommitment(fixedKey(1))).not.toBe(keyCommitment(key));
  });
});

describe('SigningKey', () => {
  it('signs and verifies, round-trips its file, and never shows the secret', () => {
    const key = generateSigningKey();
    const message = new TextEncoder().encode('evidence');
    const signature = key.sign(message);
    expect(verifyEd25519(key.publicKey, message, signature)).toBe(true);
    expect(verifyEd25519(key.publicKey, new TextEncoder().encode('evidencE'), signature)).toBe(false);
    expect(verifyEd25519(generateSigningKey().publicKey, message, signature)).toBe(false);
    const text = exportSigningKey(key);
    const secret = (JSON.parse(text) as { secret: string }).secret;
    expect(importSigningKey(text).publicKey).toBe(key.publicKey);
    for (const shown of [String(key), JSON.stringify(key), inspect(key)]) expect(shown).not.toContain(secret);
    expect(() =>
      importSigningKey(
        text.replace(
          secret,
          secret.replace(/^./, (c) => (c === '0' ? '1' : '0')),
        ),
      ),
    ).toThrow(/does not match/);
  });
});
