import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createWatermark, exportKey, generateKey, importKey, isRadiomarkError, loadKey, saveKey } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-key-'));

function secretOf(text: string): string {
  return (JSON.parse(text) as { secret: string }).secret;
}

describe('generateKey', () => {
  it('fills defaults and validates parameters', () => {
    const key = generateKey({ gamma: 0.5 });
    expect(key.params).toEqual({
      scheme: 'kgw',
      gamma: 0.5,
      delta: 2,
      window: 2,
      seeding: 'lefthash',
      tokenizer: 'o200k_base',
      layers: 30,
    });
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
    for (const bad of [
      { gamma: 0 },
      { gamma: 1 },
      { window: 9 },
      { window: 1.5 },
      { seeding: 'x' },
      { tokenizer: 'bert' },
      { seeding: 'minhash', window: 0 },
    ]) {
      expect(() => generateKey(bad as never)).toThrowError(/params\.\w+/);
    }
  });

  it('makes distinct secrets and ids', () => {
    const ids = new Set(Array.from({ length: 50 }, () => generateKey().id));
    expect(ids.size).toBe(50);
  });

  it('never shows the secret in strings, JSON, inspection or the watermark object', () => {
    const key = generateKey();
    const secret = secretOf(exportKey(key));
    const wm = createWatermark(key);
    const views = [
      String(key),
      JSON.stringify(key),
      inspect(key, { showHidden: true, depth: 5 }),
      JSON.stringify(wm),
      String(wm),
      inspect(wm, { showHidden: true, depth: 5 }),
      JSON.stringify({ ...key }),
    ];
    for (const view of views) expect(view).not.toContain(secret);
    expect(String(key)).toContain(key.id);
  });
});

describe('key files', () => {
  it('round-trip through saveKey/loadKey with mode 0600', async () => {
    const key = generateKey({ window: 4, seeding: 'minhash' });
    const path = join(dir, 'a.key');
    await saveKey(key, path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const loaded = await loadKey(path);
    expect(loaded.id).toBe(key.id);
    expect(loaded.params).toEqual(key.params);
    const wmA = createWatermark(key);
    const wmB = createWatermark(loaded);
    const ctx = [11, 22, 33, 44];
    for (let t = 0; t < 200; t++) expect(wmB.isGreen(ctx, t)).toBe(wmA.isGreen(ctx, t));
  });

  it('refuses to overwrite unless asked, and then still enforces 0600', async () => {
    const path = join(dir, 'b.key');
    writeFileSync(path, 'old', { mode: 0o644 });
    await expect(saveKey(generateKey(), path)).rejects.toThrowError(/file exists/);
    await saveKey(generateKey(), path, { overwrite: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('names the problem for a missing file', async () => {
    await expect(loadKey(join(dir, 'none.key'))).rejects.toSatisfy(
      (e) => isRadiomarkError(e, 'KEY_FILE') && /no such file/.test((e as Error).message),
    );
  });

  const valid = () => JSON.parse(exportKey(generateKey())) as Record<string, unknown>;
  const cases: [string, (f: Record<string, unknown>) => unknown, RegExp][] = [
    ['not JSON', () => '{oops', /not valid JSON/],
    ['an array', () => [1], /JSON object/],
    ['wrong format', (f) => ({ ...f, format: 'other' }), /"format"/],
    ['unknown version', (f) => ({ ...f, version: 2 }), /"version"/],
    ['missing secret', (f) => ({ ...f, secret: undefined }), /"secret"/],
    ['short secret', (f) => ({ ...f, secret: 'AAAA' }), /"secret" must be 32 bytes/],
    ['non-base64 secret', (f) => ({ ...f, secret: '!!!' }), /"secret"/],
    ['missing params', (f) => ({ ...f, params: undefined }), /"params"/],
    ['bad gamma', (f) => ({ ...f, params: { ...(f.params as object), gamma: 2 } }), /params\.gamma/],
    ['bad window', (f) => ({ ...f, params: { ...(f.params as object), window: -1 } }), /params\.window/],
    ['id of another key', (f) => ({ ...f, id: '0000000000000000' }), /"id" does not match/],
  ];
  for (const [name, mutate, message] of cases) {
    it(`rejects a key file with ${name}, without quoting the secret`, () => {
      const file = valid();
      const mutated = mutate(file);
      const text = typeof mutated === 'string' ? mutated : JSON.stringify(mutated);
      let error: unknown;
      try {
        importKey(text);
      } catch (e) {
        error = e;
      }
      expect(isRadiomarkError(error, 'KEY_FILE')).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(file.secret as string);
      expect((error as Error).message).not.toContain('\n');
    });
  }

  it('reads its own output byte for byte', () => {
    const key = generateKey();
    expect(exportKey(importKey(exportKey(key)))).toBe(exportKey(key));
  });
});
