import { warn } from '../progress.js';
import { readFile } from 'node:fs/promises';
import { RadiomarkError } from '../../base/errors.js';
import { checkSignature, parseBundle, type EvidenceBundle } from '../../evidence/bundle.js';
import { firstDifference, jsonValue } from '../../evidence/canonical-json.js';
import { checkConsistency } from '../../evidence/consistency.js';
import { keyCommitment } from '../../evidence/key-commitment.js';
import { describeFsError } from '../../node/fs-errors.js';
import { loadKey } from '../../node/key-store.js';
import type { WatermarkKey } from '../../key/key.js';
import { parseVerbArgs } from '../args.js';
import { digestInputs } from '../evidence.js';
import { rerun } from '../evidence-runs.js';
import { UsageError } from '../usage-error.js';

export const VERIFY_HELP = `Usage: radiomark verify BUNDLE
       radiomark verify BUNDLE --key KEY [--key KEY2 ...] --inputs FILE [FILE ...]

Checks an evidence bundle (from --evidence on radioactivity or detect).

Without a key, anyone can check: the Ed25519 signature (if signed), the format, and that every
p-value, correction and verdict follows from the counts stored in the bundle. Prints "valid".

With the key(s) and the input files (in the order the bundle lists them), the holder of the key
also checks the key against the published commitment, each input's SHA-256, size and line
count, and reruns the test: every number must come out bit for bit. Prints "reproduced".

Any mismatch: one line naming what differs, exit code 2.

Options:
  --key FILE         a tested key (repeat in the bundle's order)
  --inputs FILE ...  the input files, in the bundle's order (more may follow as arguments)
  --json             print {status, ...} as JSON
  -h, --help         show this help`;

/** `radiomark verify`. */
export async function verify(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseVerbArgs('verify', argv, {
    key: { type: 'string', multiple: true },
    inputs: { type: 'string', multiple: true },
  });
  if (values.help) return out(VERIFY_HELP);
  const [bundlePath, ...rest] = positionals;
  if (bundlePath === undefined) throw new UsageError('give the evidence bundle to verify (see radiomark verify --help)');
  const inputs = [...(values.inputs ?? []), ...rest];
  const keyPaths = values.key ?? [];
  if (rest.length > 0 && values.inputs === undefined) throw new UsageError('input files follow --inputs');
  if (keyPaths.length > 0 !== inputs.length > 0) throw new UsageError('--key and --inputs go together (or give neither)');

  const bundle = await readBundle(bundlePath);
  const signed = checkSignature(bundle);
  checkConsistency(bundle);
  const signer = signed === 'signed' ? `signed by ed25519 ${bundle.signature!.publicKey}` : 'unsigned';
  if (keyPaths.length === 0) {
    if (values.json)
      return out(JSON.stringify({ status: 'valid', signed: signed === 'signed', publicKey: bundle.signature?.publicKey ?? null }));
    return out(`valid: ${bundle.command} bundle, ${signer}; every p-value and verdict follows from its stored counts`);
  }
  await reproduce(bundle, keyPaths, inputs);
  if (values.json)
    return out(JSON.stringify({ status: 'reproduced', signed: signed === 'signed', publicKey: bundle.signature?.publicKey ?? null }));
  out(
    `reproduced: ${bundle.command} bundle, ${signer}; key matches the commitment, inputs match their digests, every number recomputed bit for bit`,
  );
}

async function readBundle(path: string): Promise<EvidenceBundle> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RadiomarkError('INPUT_FORMAT', `cannot read ${path}: ${describeFsError(e)}`);
  }
  return parseBundle(text);
}

async function reproduce(bundle: EvidenceBundle, keyPaths: string[], inputs: string[]): Promise<void> {
  if (keyPaths.length !== bundle.keys.length)
    throw new RadiomarkError('EVIDENCE', `the bundle tested ${bundle.keys.length} key(s) but ${keyPaths.length} were given`);
  await reproduceBundle(bundle, await Promise.all(keyPaths.map((p) => loadKey(p, { warn }))), inputs);
}

/**
 * The key holder's check of a bundle: keys against the commitments, inputs against their
 * digests, and a rerun whose result must equal the stored one bit for bit; an `EVIDENCE` error
 * naming the first difference otherwise.
 */
export async function reproduceBundle(bundle: EvidenceBundle, keys: readonly WatermarkKey[], inputs: readonly string[]): Promise<void> {
  if (keys.length !== bundle.keys.length)
    throw new RadiomarkError('EVIDENCE', `the bundle tested ${bundle.keys.length} key(s) but ${keys.length} were given`);
  keys.forEach((key, i) => {
    if (keyCommitment(key) !== bundle.keys[i]!.commitment) {
      throw new RadiomarkError(
        'EVIDENCE',
        `key ${i + 1} (id ${key.id}) does not match the bundle's commitment ${bundle.keys[i]!.commitment}`,
      );
    }
  });
  if (inputs.length !== bundle.inputs.length)
    throw new RadiomarkError('EVIDENCE', `the bundle lists ${bundle.inputs.length} input(s) but ${inputs.length} were given`);
  const digests = await digestInputs(bundle.inputs.map((f, i) => ({ role: f.role, path: inputs[i]! })));
  digests.forEach((d, i) => {
    const want = bundle.inputs[i]!;
    for (const field of ['sha256', 'bytes', 'lines'] as const) {
      if (d[field] !== want[field]) {
        throw new RadiomarkError(
          'EVIDENCE',
          `input ${i + 1} (${want.role}, ${want.name}): ${field} is ${d[field]}, the bundle has ${want[field]}`,
        );
      }
    }
  });
  const result = jsonValue(await rerun(bundle.command, bundle.invocation, inputs, keys));
  const diff = firstDifference(bundle.result, result, 'result');
  if (diff !== undefined) throw new RadiomarkError('EVIDENCE', `${diff} differs when recomputed from the inputs`);
}
