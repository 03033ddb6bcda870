import { describe, expect, it } from 'vitest';
import { exportKey, generateKey, importKey } from '../../src/index.js';

describe('key files with a byte-order mark', () => {
  it('are read like the investigator page reads them (File.text() drops the BOM)', () => {
    const key = generateKey();
    expect(importKey(`\ufeff${exportKey(key)}`).id).toBe(key.id);
    expect(() => importKey(`\ufeff\ufeff${exportKey(key)}`)).toThrowError(/not valid JSON/);
  });
});
