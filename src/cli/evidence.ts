import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RadiomarkError } from '../base/errors.js';
import { EVIDENCE_FORMAT, EVIDENCE_VERSION, signBundle, type EvidenceBundle, type EvidenceCommand } from '../evidence/bundle.js';
import { jsonValue } from '../evidence/canonical-json.js';
import { bytesToHex } from '../evidence/hex.js';
import { digestInput, type InputDigest } from '../evidence/input-digest.js';
import { keyCommitment } from '../evidence/key-commitment.js';
import type { WatermarkKey } from '../key/key.js';
import { describeFsError } from '../node/fs-errors.js';
import { loadSigningKey } from '../node/signing-key-store.js';
import { writeFileAtomic } from '../node/atomic-write.js';
import { UsageError } from './usage-error.js';

/** The flags that ask a verb for an evidence bundle. */
export const EVIDENCE_FLAGS = {
  evidence: { type: 'string' },
  sign: { type: 'string' },
} as const;

/** Help lines of {@link EVIDENCE_FLAGS}. */
export const EVIDENCE_HELP = `  --evidence FILE     also write a versioned evidence bundle (key commitment, input digests,
                      every number, controls; never the secret): check it with radiomark verify
  --sign SIGNKEY      sign the bundle with an Ed25519 key from radiomark keygen --signing`;

/** An input file of a test: its role, path and bytes (read once, digested, then parsed). */
export interface EvidenceInput {
  role: string;
  path: string;
}

/** Refuses stdin and `--sign` without `--evidence`: a bundle must name files others can digest. */
export function checkEvidenceFlags(values: { evidence?: string; sign?: string }, inputs: (string | undefined)[]): boolean {
  if (values.sign !== undefined && values.evidence === undefined) throw new UsageError('--sign needs --evidence FILE');
  if (values.evidence === undefined) return false;
  if (inputs.some((p) => p === undefined || p === '-'))
    throw new UsageError('--evidence needs input files (standard input cannot be digested and re-read)');
  return true;
}

/** Digests of the input files, in order. */
export async function digestInputs(inputs: readonly EvidenceInput[]): Promise<InputDigest[]> {
  return Promise.all(
    inputs.map(async ({ role, path }) => {
      try {
        return digestInput(role, path, new Uint8Array(await readFile(path)));
      } catch (e) {
        throw new RadiomarkError('INPUT_FORMAT', `cannot read ${path}: ${describeFsError(e)}`);
      }
    }),
  );
}

/** A fresh public seed for the control keys (see `controlKeys`). */
export function newControlSeed(): string {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

/** What a verb hands over to make a bundle. */
export interface BundleParts {
  command: EvidenceCommand;
  keys: readonly WatermarkKey[];
  invocation: Record<string, unknown>;
  inputs: readonly EvidenceInput[];
  test: { description: string; nullHypothesis: string };
  result: unknown;
}

/** Builds, signs (with `signPath`) and writes a bundle; returns it. */
export async function writeEvidence(path: string, parts: BundleParts, signPath?: string): Promise<EvidenceBundle> {
  const signer = signPath === undefined ? undefined : await loadSigningKey(signPath);
  let bundle: EvidenceBundle = {
    format: EVIDENCE_FORMAT,
    version: EVIDENCE_VERSION,
    command: parts.command,
    created: new Date().toISOString(),
    software: { name: 'radiomark', ...softwareVersion() },
    keys: parts.keys.map((k) => ({ id: k.id, commitment: keyCommitment(k), params: k.params })),
    invocation: jsonValue(parts.invocation) as Record<string, unknown>,
    inputs: await digestInputs(parts.inputs),
    test: parts.test,
    result: jsonValue(parts.result),
  };
  if (signer) bundle = signBundle(bundle, signer);
  await writeFileAtomic(path, `${JSON.stringify(bundle, null, 2)}\n`, { label: 'evidence bundle' });
  return bundle;
}

let cachedVersion: { version: string; commit: string | null } | undefined;

// The package's version, and the git commit when radiomark runs from a checkout.
function softwareVersion(): { version: string; commit: string | null } {
  if (cachedVersion) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // An unusual install: the bundle says "unknown" rather than failing.
  }
  let commit: string | null = null;
  if (existsSync(join(dir, '.git'))) {
    try {
      commit =
        execFileSync('git', ['rev-parse', 'HEAD'], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 5000,
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim() || null;
    } catch {
      commit = null;
    }
  }
  return (cachedVersion = { version, commit });
}
