import { RadiomarkError } from '../base/errors.js';
import type { WatermarkParams } from '../key/params.js';
import { canonicalJson } from './canonical-json.js';
import { bytesToHex, hexToBytes } from './hex.js';
import type { InputDigest } from './input-digest.js';
import { verifyEd25519, type SigningKey } from './signing-key.js';

/** Format name of evidence bundles. */
export const EVIDENCE_FORMAT = 'radiomark-evidence';
/** Version of the bundle format this code writes and reads. */
export const EVIDENCE_VERSION = 1;

/** The commands whose results a bundle can hold. */
export type EvidenceCommand = 'radioactivity' | 'detect' | 'attribute';

/**
 * An evidence bundle: everything a third party needs to check a test's numbers (and, holding
 * the key and the inputs, to reproduce them), never the secret. See docs/RADIOACTIVITY.md,
 * "Evidence bundles".
 */
export interface EvidenceBundle {
  format: typeof EVIDENCE_FORMAT;
  version: typeof EVIDENCE_VERSION;
  command: EvidenceCommand;
  /** ISO 8601 time the bundle was made. */
  created: string;
  software: { name: 'radiomark'; version: string; commit: string | null };
  /** The tested keys: public id, commitment, parameters (in the order tested). */
  keys: { id: string; commitment: string; params: WatermarkParams }[];
  /** The options that decide the numbers (alpha, control count and seed, rules), enough to rerun. */
  invocation: Record<string, unknown>;
  /** Every input file, in the order `radiomark verify --inputs` expects them. */
  inputs: InputDigest[];
  /** The exact test and H0 in words. */
  test: { description: string; nullHypothesis: string };
  /** The command's full result (every statistic and p-value, raw and corrected, and the controls). */
  result: unknown;
  /** Ed25519 signature of the canonical JSON of every other field. */
  signature?: { algorithm: 'ed25519'; publicKey: string; value: string };
}

/**
 * The bytes a bundle's signature covers: the canonical JSON of the bundle without `signature`.
 *
 * @example
 * ```ts
 * signingKey.sign(bundleMessage(bundle));
 * ```
 */
export function bundleMessage(bundle: EvidenceBundle): Uint8Array {
  const { signature: _, ...rest } = bundle;
  return new TextEncoder().encode(canonicalJson(rest));
}

/**
 * The bundle with an Ed25519 signature of {@link bundleMessage}.
 *
 * @example
 * ```ts
 * const signed = signBundle(bundle, await loadSigningKey('me.sign'));
 * ```
 */
export function signBundle(bundle: EvidenceBundle, signer: SigningKey): EvidenceBundle {
  const { signature: _, ...rest } = bundle;
  const value = bytesToHex(signer.sign(bundleMessage(rest as EvidenceBundle)));
  return { ...rest, signature: { algorithm: 'ed25519', publicKey: signer.publicKey, value } };
}

/**
 * Checks the signature if there is one: `'signed'` or `'unsigned'`; an `EVIDENCE` error when
 * it does not match.
 *
 * @example
 * ```ts
 * checkSignature(bundle); // 'signed'
 * ```
 */
export function checkSignature(bundle: EvidenceBundle): 'signed' | 'unsigned' {
  const sig = bundle.signature;
  if (sig === undefined) return 'unsigned';
  let value: Uint8Array;
  try {
    value = hexToBytes(sig.value, 64, 'signature');
  } catch {
    throw new RadiomarkError('EVIDENCE', 'signature: not 128 hex characters');
  }
  if (sig.algorithm !== 'ed25519' || !verifyEd25519(sig.publicKey, bundleMessage(bundle), value)) {
    throw new RadiomarkError('EVIDENCE', `signature: does not match the bundle's contents (public key ${String(sig.publicKey)})`);
  }
  return 'signed';
}

/**
 * Parses bundle text and checks its format (fields present, of the right types); an
 * `EVIDENCE` error naming the first bad field otherwise.
 *
 * @example
 * ```ts
 * const bundle = parseBundle(await readFile('case.evidence.json', 'utf8'));
 * ```
 */
export function parseBundle(text: string): EvidenceBundle {
  let b: Record<string, unknown>;
  try {
    b = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new RadiomarkError('EVIDENCE', 'format: not JSON');
  }
  const fail = (field: string, why: string) => new RadiomarkError('EVIDENCE', `format: ${field} ${why}`);
  if (!b || typeof b !== 'object' || b.format !== EVIDENCE_FORMAT) throw fail('format', `is not "${EVIDENCE_FORMAT}"`);
  if (b.version !== EVIDENCE_VERSION)
    throw fail('version', `is not ${EVIDENCE_VERSION} (this radiomark reads version ${EVIDENCE_VERSION})`);
  if (!['radioactivity', 'detect', 'attribute'].includes(b.command as string)) throw fail('command', 'is unknown');
  if (typeof b.created !== 'string') throw fail('created', 'is missing');
  const keys = b.keys as EvidenceBundle['keys'];
  if (!Array.isArray(keys) || keys.length === 0) throw fail('keys', 'is missing');
  keys.forEach((k, i) => {
    if (typeof k?.commitment !== 'string' || !/^[0-9a-f]{64}$/.test(k.commitment)) throw fail(`keys[${i}].commitment`, 'is not 64 hex');
    if (!k.params || typeof k.params !== 'object') throw fail(`keys[${i}].params`, 'is missing');
  });
  if (!b.invocation || typeof b.invocation !== 'object') throw fail('invocation', 'is missing');
  const inputs = b.inputs as InputDigest[];
  if (!Array.isArray(inputs)) throw fail('inputs', 'is missing');
  inputs.forEach((f, i) => {
    if (typeof f?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) throw fail(`inputs[${i}].sha256`, 'is not 64 hex');
    if (!Number.isInteger(f.bytes) || !Number.isInteger(f.lines)) throw fail(`inputs[${i}]`, 'lacks bytes or lines');
  });
  const test = b.test as EvidenceBundle['test'];
  if (typeof test?.nullHypothesis !== 'string' || typeof test.description !== 'string') throw fail('test', 'lacks its description or H0');
  if (!b.result || typeof b.result !== 'object') throw fail('result', 'is missing');
  if (b.signature !== undefined) {
    const s = b.signature as Record<string, unknown>;
    if (typeof s.publicKey !== 'string' || typeof s.value !== 'string') throw fail('signature', 'lacks publicKey or value');
  }
  return b as unknown as EvidenceBundle;
}
