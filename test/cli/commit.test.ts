import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-commit-'));

describe('radiomark commit and keygen --signing', () => {
  it('prints a stable 64-hex commitment, and JSON with the public parts only', () => {
    const keyPath = join(dir, 'k.key');
    expect(runCli(['keygen', '--out', keyPath]).code).toBe(0);
    const a = runCli(['commit', '--key', keyPath]);
    expect(a.code).toBe(0);
    expect(a.out.trim()).toMatch(/^[0-9a-f]{64}$/);
    const j = JSON.parse(runCli(['commit', '--key', keyPath, '--json']).out) as { commitment: string; id: string };
    expect(j.commitment).toBe(a.out.trim());
    const secret = (JSON.parse(readFileSync(keyPath, 'utf8')) as { secret: string }).secret;
    expect(a.out + JSON.stringify(j)).not.toContain(secret);
    expectOneLineError(runCli(['commit']), /--key is required/);
  });

  it('writes a 0600 Ed25519 key file and prints its public key only', () => {
    const path = join(dir, 'investigator.sign');
    const r = runCli(['keygen', '--signing', '--out', path, '--json']);
    expect(r.code).toBe(0);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { secret: string; publicKey: string };
    expect((JSON.parse(r.out) as { publicKey: string }).publicKey).toBe(file.publicKey);
    expect(r.out).not.toContain(file.secret);
    expectOneLineError(runCli(['keygen', '--signing', '--out', path]), /file exists/);
    expectOneLineError(runCli(['keygen', '--signing', '--out', join(dir, 'x'), '--gamma', '0.5']), /no watermark parameters/);
  });
});
