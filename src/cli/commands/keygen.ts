import { noPositionals } from '../args.js';
import { generateKey } from '../../key/key.js';
import { saveKey } from '../../node/key-store.js';
import type { Scheme, Seeding } from '../../key/params.js';
import { integerOption, numberOption, parseVerbArgs } from '../args.js';
import { describeParams } from '../format.js';
import { generateSigningKey } from '../../evidence/signing-key.js';
import { saveSigningKey } from '../../node/signing-key-store.js';
import { UsageError } from '../usage-error.js';

export const KEYGEN_HELP = `Usage: radiomark keygen [--out FILE] [options]
       radiomark keygen --signing --out FILE [--force] [--json]

Creates a new secret watermark key and writes it to FILE (mode 0600). Prints only the
public key id and parameters, never the secret.

Options:
  --out FILE         key file to write (default: radiomark.key); refuses to overwrite
  --force            overwrite FILE if it exists
  --scheme S         kgw | gumbel | synthid (default kgw; gumbel and synthid are distortion-free)
  --gamma G          green fraction in (0, 1) (default 0.25)
  --delta D          logit bias for green tokens (default 2)
  --window H         previous tokens that seed the green list, 0..8 (default 2)
  --seeding S        lefthash | minhash | selfhash (default lefthash)
  --layers M         synthid tournament layers, 1..32 (default 30)
  --tokenizer T      o200k_base | cl100k_base | p50k_base | r50k_base | gpt2 (default o200k_base)
  --signing          make an Ed25519 signing key (investigators sign evidence bundles with
                     it, see radiomark verify) instead of a watermark key; prints the public part
  --json             print {id, params, path} (with --signing: {algorithm, publicKey, path}) as JSON
  -h, --help         show this help`;

/** `radiomark keygen`. */
export async function keygen(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseVerbArgs('keygen', argv, {
    out: { type: 'string' },
    force: { type: 'boolean' },
    scheme: { type: 'string' },
    layers: { type: 'string' },
    gamma: { type: 'string' },
    delta: { type: 'string' },
    window: { type: 'string' },
    seeding: { type: 'string' },
    tokenizer: { type: 'string' },
    signing: { type: 'boolean' },
  });
  if (values.help) return out(KEYGEN_HELP);
  noPositionals('keygen', positionals);
  if (values.signing) return signingKeygen(values, out);
  const key = generateKey({
    scheme: values.scheme as Scheme | undefined,
    layers: integerOption('layers', values.layers, 1, 32),
    gamma: numberOption('gamma', values.gamma),
    delta: numberOption('delta', values.delta),
    window: integerOption('window', values.window, 0, 8),
    seeding: values.seeding as Seeding | undefined,
    tokenizer: values.tokenizer,
  });
  const path = values.out ?? 'radiomark.key';
  await saveKey(key, path, { overwrite: values.force === true });
  if (values.json) out(JSON.stringify({ id: key.id, params: key.params, path }));
  else
    out(
      `wrote ${path} (mode 0600): key ${key.id} (${describeParams(key.params)})\nKeep this file secret: anyone holding it can read and forge the watermark.`,
    );
}

async function signingKeygen(
  values: { out?: string; force?: boolean; json?: boolean; [k: string]: unknown },
  out: (s: string) => void,
): Promise<void> {
  const watermarkOnly = ['scheme', 'layers', 'gamma', 'delta', 'window', 'seeding', 'tokenizer'].filter((k) => values[k] !== undefined);
  if (watermarkOnly.length > 0) throw new UsageError(`--signing takes no watermark parameters (got --${watermarkOnly[0]})`);
  if (values.out === undefined) throw new UsageError('--signing needs --out FILE');
  const key = generateSigningKey();
  await saveSigningKey(key, values.out, { overwrite: values.force === true });
  if (values.json) return out(JSON.stringify({ algorithm: 'ed25519', publicKey: key.publicKey, path: values.out }));
  out(
    `wrote ${values.out} (mode 0600): Ed25519 signing key\npublic key ${key.publicKey}\nKeep the file secret; publish the public key so that others can check your evidence bundles.`,
  );
}
