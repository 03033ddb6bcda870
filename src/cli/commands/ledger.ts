import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { RadiomarkError } from '../../errors.js';
import { EmissionLedger } from '../../ledger/emission-ledger.js';
import { readTokenized } from '../../node/radioactivity-files.js';
import { TOKENIZER_VOCAB_SIZES } from '../../tokenizer.js';
import { concatIds } from '../../token-ids.js';
import { integerOption, numberOption, parseVerbArgs, required } from '../args.js';
import { UsageError } from '../usage-error.js';
import { describeFsError } from '../../node/fs-errors.js';

export const LEDGER_HELP = `Usage: radiomark ledger add --ledger FILE [--window H] [INPUT ...]
       radiomark ledger merge --out FILE LEDGER LEDGER ...
       radiomark ledger info LEDGER

An emission ledger records the raw h-token windows of every watermarked output you emit,
in a versioned, checksummed, mergeable Bloom filter. Later it is the --filter of
radiomark radioactivity. A false positive only adds a scored window (never invalidates
the p-value: passing the filter does not depend on the window's colours).

  add     record the windows of INPUTs (text, or JSONL with "text"/"completion" and an
          optional "prompt"; - or none for stdin) into FILE, creating it if needed
  merge   bitwise OR of ledgers with the same parameters, written to --out
  info    parameters, fill and false-positive rate (1 - e^(-kn/m))^k

Options:
  --ledger FILE       the ledger to add to (created if missing)
  --window H          window length for a new ledger (default 2; must match your keys)
  --tokenizer NAME    tokenizer of a new ledger (default o200k_base)
  --capacity N        distinct windows a new ledger is sized for (default 10000000)
  --fpr P             target false-positive rate at capacity (default 0.001)
  --out FILE          merge output
  --skip-bad-lines    skip (and report) bad JSONL lines instead of failing
  --json              print info as JSON
  -h, --help          show this help

Exit code 0 on success; 2 for bad usage or input.`;

/** `radiomark ledger`. */
export async function ledger(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseVerbArgs('ledger', argv, {
    ledger: { type: 'string' },
    window: { type: 'string' },
    tokenizer: { type: 'string' },
    capacity: { type: 'string' },
    fpr: { type: 'string' },
    out: { type: 'string' },
    'skip-bad-lines': { type: 'boolean' },
  });
  if (values.help) return out(LEDGER_HELP);
  const [action, ...files] = positionals;
  const print = (l: EmissionLedger) => {
    const info = l.info();
    if (values.json) return out(JSON.stringify(info));
    out(`ledger v${info.version}: window h=${info.window}, ${info.tokenizer}, ${info.bits} bits (${(info.bytes / 1e6).toFixed(2)} MB), k=${info.hashes}`);
    out(`  ~${info.estimatedWindows} distinct windows (fill ${(100 * info.fill).toFixed(2)}%), false-positive rate ${info.falsePositiveRate.toExponential(2)}`);
  };
  if (action === 'info') {
    if (files.length !== 1) throw new UsageError('ledger info takes one LEDGER file');
    return print(await readLedger(files[0]!));
  }
  if (action === 'merge') {
    const target = required('out', values.out, 'ledger');
    if (files.length < 2) throw new UsageError('ledger merge needs at least two ledger files');
    let merged = await readLedger(files[0]!);
    for (const f of files.slice(1)) merged = merged.merge(await readLedger(f));
    await writeAtomically(target, merged.toBytes());
    return print(merged);
  }
  if (action === 'add') {
    const target = required('ledger', values.ledger, 'ledger');
    const existing = await readLedger(target, true);
    const tokenizer = values.tokenizer ?? existing?.tokenizer ?? 'o200k_base';
    if (TOKENIZER_VOCAB_SIZES[tokenizer] === undefined) throw new UsageError(`--tokenizer: unknown tokenizer "${tokenizer}"`);
    const window = integerOption('window', values.window, 1) ?? existing?.window ?? 2;
    if (existing && (existing.window !== window || existing.tokenizer !== tokenizer)) {
      throw new UsageError(`${target} records h=${existing.window} with ${existing.tokenizer}: --window/--tokenizer disagree`);
    }
    const l =
      existing ??
      EmissionLedger.create({
        window,
        tokenizer,
        capacity: numberOption('capacity', values.capacity, (x) => x >= 1),
        falsePositiveRate: numberOption('fpr', values.fpr, (x) => x > 0 && x < 1),
      });
    for (const file of files.length > 0 ? files : ['-']) {
      for await (const r of readTokenized(file, ['text', 'completion'], { tokenizer, skipBadLines: values['skip-bad-lines'] })) {
        l.record(concatIds(r.prompt, r.text));
      }
    }
    await writeAtomically(target, l.toBytes());
    return print(l);
  }
  throw new UsageError('expected an action: add, merge or info (see radiomark ledger --help)');
}

async function readLedger(path: string, missingOk: true): Promise<EmissionLedger | undefined>;
async function readLedger(path: string): Promise<EmissionLedger>;
async function readLedger(path: string, missingOk = false): Promise<EmissionLedger | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if (missingOk && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RadiomarkError('INPUT_FORMAT', `cannot read ledger ${path}: ${describeFsError(e)}`);
  }
  return EmissionLedger.fromBytes(bytes, path);
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new RadiomarkError('INPUT_FORMAT', `cannot write ledger ${path}: ${describeFsError(e)}`);
  }
}
