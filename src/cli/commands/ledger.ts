import { RadiomarkError } from '../../base/errors.js';
import { readLedgerFile, writeLedgerFile, type LedgerFile } from '../../node/ledger-files.js';
import { withFileLock } from '../../node/file-lock.js';
import { parseVerbArgs, required } from '../args.js';
import { ledgerAdd } from './ledger-add.js';
import { formatLedgerInfo, LEDGER_KIND_NAME } from '../ledger-format.js';
import { UsageError } from '../usage-error.js';
import { replayJournalInto } from '../../serve/served-ledger.js';

export const LEDGER_HELP = `Usage: radiomark ledger add --ledger FILE [--window H] [INPUT ...]
       radiomark ledger add --owners FILE [--window H] [--account ID] [INPUT ...]
       radiomark ledger merge --out FILE LEDGER LEDGER ...
       radiomark ledger info LEDGER

Two kinds of ledger record the raw h-token windows (prompt in front) of the outputs you emit;
files are versioned, checksummed and mergeable, and their kind is read from the file.

An emission ledger (--ledger) is a Bloom filter of the windows of every watermarked output:
later the --filter of radiomark radioactivity. A false positive only adds a scored window
(never invalidates the p-value: passing the filter does not depend on the window's colours).

An account ledger (--owners) records which account received each window (or that several
did): later the --owners of radiomark attribute --suspect (per-account tests, ledger
method; lefthash keys). It must hold the outputs of EVERY account, merged from all servers:
a window missing from it could look exclusive to an innocent account (docs/ATTRIBUTION.md).
About 26-52 bytes of memory and 16 bytes on disk per distinct window.

  add     record the windows of INPUTs (- or none for stdin) into FILE, creating it if
          needed. Text, or JSONL (*.jsonl) with "text"/"completion" and an optional
          "prompt"; for an account ledger each JSONL line also names its "account"
          (decimal id, number or string), and plain text needs --account
  merge   union of ledgers of one kind with the same parameters, written to --out
  info    parameters and size; emission ledgers: fill and false-positive rate
          (1 - e^(-kn/m))^k; account ledgers: windows exclusive to one account, and the
          answers in the journal of radiomark serve beside it, if any (counted in)

Options:
  --ledger FILE       the emission ledger to add to (created if missing)
  --owners FILE       the account ledger to add to (created if missing)
  --account ID        account ledgers: the account of plain-text INPUTs and of JSONL lines
                      without "account"; a JSONL line naming another account is an error
  --window H          window length for a new ledger (default 2; must match your keys)
  --tokenizer NAME    tokenizer of a new ledger (default o200k_base)
  --capacity N        emission ledgers: distinct windows a new one is sized for (default 10000000)
  --fpr P             emission ledgers: target false-positive rate at capacity (default 0.001)
  --out FILE          merge output; an existing file there must be a ledger of the same kind
  --force             merge: replace --out even if it is not a ledger of that kind
  --skip-bad-lines    emission ledgers: skip bad JSONL lines instead of failing (refused with
                      --owners: an account ledger must record every output)
  --json              print info as JSON (with "kind": "emission" or "account")
  -h, --help          show this help

Examples:
  radiomark ledger add --owners owners.rmowners served-2024-06.jsonl
  radiomark ledger add --owners owners.rmowners --account 1042 reply.txt
  radiomark ledger merge --out owners.rmowners server-a.rmowners server-b.rmowners
  radiomark attribute --key provider.key --suspect suspect.jsonl --accounts customers.txt --owners owners.rmowners

Files are written atomically (temp file, fsync, rename), keep their mode (account ledgers:
0600) and are updated where a symbolic link points. Concurrent writers to one ledger take
turns through the lock file FILE.lock: each waits up to 30 s while another merges its
windows in, then gives up with "in use by pid N" (nothing is lost either way).

Exit code 0 on success; 2 for bad usage or input.`;

const FLAGS = {
  ledger: { type: 'string' },
  owners: { type: 'string' },
  account: { type: 'string' },
  window: { type: 'string' },
  tokenizer: { type: 'string' },
  capacity: { type: 'string' },
  fpr: { type: 'string' },
  out: { type: 'string' },
  'skip-bad-lines': { type: 'boolean' },
  force: { type: 'boolean' },
} as const;

/** `radiomark ledger`. */
export async function ledger(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseVerbArgs('ledger', argv, FLAGS);
  if (values.help) return out(LEDGER_HELP);
  const [action, ...files] = positionals;
  if (action === 'add') return ledgerAdd(values, files, out);
  if (action === 'info') {
    if (files.length !== 1) throw new UsageError('ledger info takes one LEDGER file');
    return ledgerInfo(files[0]!, values.json === true, out);
  }
  if (action === 'merge') {
    const target = required('out', values.out, 'ledger');
    if (files.length < 2) throw new UsageError('ledger merge needs at least two ledger files');
    const merged = await mergeFiles(files);
    const force = values.force === true;
    await withFileLock(target, () => writeLedgerFile(target, merged.ledger.toBytes(), { force }), { label: 'ledger' });
    return out(formatLedgerInfo(merged, values.json === true));
  }
  throw new UsageError('expected an action: add, merge or info (see radiomark ledger --help)');
}

// An account ledger written by radiomark serve may have a journal beside it (a server running
// now, or one that crashed): its answers are counted in, read-only.
async function ledgerInfo(path: string, json: boolean, out: (s: string) => void): Promise<void> {
  const file = await readLedgerFile(path);
  const pending = file.kind === 'account' ? await replayJournalInto(file.ledger, path) : undefined;
  if (json) return out(JSON.stringify({ kind: file.kind, ...file.ledger.info(), ...(pending ? { journal: pending } : {}) }));
  out(formatLedgerInfo(file, false));
  if (pending) {
    out(
      `  journal: ${pending.answers} answer(s) not yet folded into the file (counted above)${pending.torn ? '; a torn last record (never acknowledged) is ignored' : ''}`,
    );
  }
}

// One file at a time, so memory holds the union and one input, never all inputs.
async function mergeFiles(files: string[]): Promise<LedgerFile> {
  let merged = await readLedgerFile(files[0]!);
  for (const file of files.slice(1)) merged = mergeTwo(merged, await readLedgerFile(file), files[0]!, file);
  return merged;
}

function mergeTwo(a: LedgerFile, b: LedgerFile, first: string, file: string): LedgerFile {
  if (a.kind !== b.kind) throw new UsageError(`cannot merge ${LEDGER_KIND_NAME[b.kind]} ${file} with ${LEDGER_KIND_NAME[a.kind]} ${first}`);
  try {
    if (a.kind === 'account') return { kind: 'account', ledger: a.ledger.merge((b as typeof a).ledger) };
    return { kind: 'emission', ledger: a.ledger.merge((b as typeof a).ledger) };
  } catch (e) {
    // The library's message (different window, tokenizer...) does not know the file names.
    if (e instanceof RadiomarkError) throw new RadiomarkError(e.code, `${first} and ${file}: ${e.message}`);
    throw e;
  }
}
