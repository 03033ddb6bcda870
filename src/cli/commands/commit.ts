import { warn } from '../progress.js';
import { keyCommitment } from '../../evidence/key-commitment.js';
import { loadKey } from '../../node/key-store.js';
import { parseVerbArgs, required } from '../args.js';
import { UsageError } from '../usage-error.js';

export const COMMIT_HELP = `Usage: radiomark commit --key KEY [--json]

Prints the public commitment to KEY: 64 hex characters, the same every time for a key.
Publish it before any investigation: it shows later that the key tested was fixed in advance
(nobody can find another key with the same commitment), and it reveals nothing about the
secret or the green lists. radiomark verify --key KEY checks a key against it.

Options:
  --key FILE   key file (from radiomark keygen)
  --json       print {id, commitment, params} as JSON
  -h, --help   show this help`;

/** `radiomark commit`. */
export async function commit(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseVerbArgs('commit', argv, { key: { type: 'string' } });
  if (values.help) return out(COMMIT_HELP);
  if (positionals.length > 0) throw new UsageError('commit takes no positional arguments');
  const key = await loadKey(required('key', values.key, 'commit'), { warn });
  const commitment = keyCommitment(key);
  out(values.json ? JSON.stringify({ id: key.id, commitment, params: key.params }) : commitment);
}
