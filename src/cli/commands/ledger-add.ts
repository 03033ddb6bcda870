import { AccountLedger } from '../../ledger/account-ledger.js';
import { EmissionLedger } from '../../ledger/emission-ledger.js';
import { readAccountOutputs } from '../../node/account-records.js';
import { withFileLock } from '../../node/file-lock.js';
import { readLedgerFile, writeLedgerFile, type LedgerFile } from '../../node/ledger-files.js';
import { readTokenized } from '../../node/radioactivity-files.js';
import { concatIds } from '../../base/token-ids.js';
import { TOKENIZER_VOCAB_SIZES } from '../../key/tokenizer.js';
import { accountIdOption } from '../account-options.js';
import { integerOption, numberOption } from '../args.js';
import { formatLedgerInfo, LEDGER_KIND_NAME } from '../ledger-format.js';
import { UsageError } from '../usage-error.js';

/** The flags `radiomark ledger add` reads. */
export interface LedgerAddValues {
  ledger?: string;
  owners?: string;
  window?: string;
  tokenizer?: string;
  capacity?: string;
  fpr?: string;
  account?: string;
  'skip-bad-lines'?: boolean;
  json?: boolean;
}

type Kind = LedgerFile['kind'];
type AddParams = { window: number; tokenizer: string; skipBadLines: boolean | undefined };

/**
 * `radiomark ledger add`: records the windows of `inputs` (standard input if none) into the
 * emission ledger of `--ledger` or the account ledger of `--owners`, created if missing and
 * written atomically. Every usage mistake is caught before any input is read.
 */
export async function ledgerAdd(values: LedgerAddValues, inputs: string[], out: (s: string) => void): Promise<void> {
  const kind = checkAddFlags(values);
  const target = (kind === 'account' ? values.owners : values.ledger)!;
  const account = accountIdOption('account', values.account);
  const files = inputs.length > 0 ? inputs : ['-'];
  if (kind === 'account' && account === undefined) checkAccountsKnown(files);
  const existing = await readLedgerFile(target, true);
  if (existing && existing.kind !== kind) {
    throw new UsageError(
      `${target} is an ${LEDGER_KIND_NAME[existing.kind]}: add to it with ${existing.kind === 'account' ? '--owners' : '--ledger'}`,
    );
  }
  const params = { ...ledgerParams(values, existing, target), skipBadLines: values['skip-bad-lines'] };
  // Inputs are recorded into an empty ledger of the same shape, merged into the file under its
  // lock: concurrent writers wait for each other only during the merge and lose nothing.
  if (kind === 'emission') {
    const ledger =
      existing?.kind === 'emission' ? existing.ledger.emptyLike() : createEmissionLedger(params.window, params.tokenizer, values);
    return addEmissions(ledger, target, files, params, values.json === true, out);
  }
  return addAccountOutputs(AccountLedger.create(params), target, files, { ...params, account }, values.json === true, out);
}

async function addEmissions(
  ledger: EmissionLedger,
  target: string,
  files: string[],
  params: AddParams,
  json: boolean,
  out: (s: string) => void,
): Promise<void> {
  for (const file of files) {
    for await (const r of readTokenized(file, ['text', 'completion'], params)) ledger.record(concatIds(r.prompt, r.text));
  }
  const merged = await commitToLedger(target, { kind: 'emission', ledger });
  out(formatLedgerInfo(merged, json));
}

async function addAccountOutputs(
  ledger: AccountLedger,
  target: string,
  files: string[],
  params: AddParams & { account: number | undefined },
  json: boolean,
  out: (s: string) => void,
): Promise<void> {
  let outputs = 0;
  for (const file of files) {
    for await (const o of readAccountOutputs(file, params)) {
      ledger.record(o.account, o.ids);
      outputs++;
    }
  }
  const merged = await commitToLedger(target, { kind: 'account', ledger });
  if (json) return out(JSON.stringify({ kind: 'account', ...merged.ledger.info(), outputs }));
  out(formatLedgerInfo(merged, false));
  out(`  ${outputs} output(s) recorded`);
}

/**
 * Merges `delta` into the ledger file `target` (created if missing) under the file's lock:
 * re-read, merge, atomic write. Returns what was written.
 */
export async function commitToLedger(target: string, delta: LedgerFile): Promise<LedgerFile> {
  return withFileLock(
    target,
    async () => {
      const current = await readLedgerFile(target, true);
      const merged = current ? mergeLedgers(current, delta, target) : delta;
      await writeLedgerFile(target, merged.ledger.toBytes());
      return merged;
    },
    { label: 'ledger' },
  );
}

function mergeLedgers(current: LedgerFile, delta: LedgerFile, target: string): LedgerFile {
  if (current.kind === 'account' && delta.kind === 'account') return { kind: 'account', ledger: current.ledger.merge(delta.ledger) };
  if (current.kind === 'emission' && delta.kind === 'emission') return { kind: 'emission', ledger: current.ledger.merge(delta.ledger) };
  throw new UsageError(`${target} became an ${LEDGER_KIND_NAME[current.kind]} while this command ran`);
}

// Which ledger --ledger / --owners names, and the flags that only make sense for it.
function checkAddFlags(values: LedgerAddValues): Kind {
  if (values.ledger !== undefined && values.owners !== undefined) {
    throw new UsageError('give --ledger (emission ledger) or --owners (account ledger), not both');
  }
  if (values.ledger === undefined && values.owners === undefined) {
    throw new UsageError(
      'ledger add needs --ledger FILE (emission ledger) or --owners FILE (account ledger) (see radiomark ledger --help)',
    );
  }
  if (values.ledger !== undefined) {
    if (values.account !== undefined) throw new UsageError('--account is for account ledgers (--owners)');
    return 'emission';
  }
  const sizing = (['capacity', 'fpr'] as const).find((f) => values[f] !== undefined);
  if (sizing) throw new UsageError(`--${sizing} is for emission ledgers (--ledger): an account ledger grows as needed`);
  // A skipped output leaves windows unrecorded, and an incomplete account ledger can make an
  // innocent account look guilty (docs/ATTRIBUTION.md section 4).
  if (values['skip-bad-lines'])
    throw new UsageError('--skip-bad-lines is not allowed with --owners: an account ledger must record every output');
  return 'account';
}

// Plain text carries no account: without --account its windows could go to no one.
function checkAccountsKnown(files: string[]): void {
  const plain = files.find((f) => !f.endsWith('.jsonl'));
  if (plain === undefined) return;
  const name = plain === '-' ? 'standard input' : plain;
  throw new UsageError(`${name} is read as plain text: give --account ID (only JSONL lines, in *.jsonl files, name their own account)`);
}

// A new ledger takes --window/--tokenizer (or the defaults); an existing one must agree with them.
function ledgerParams(values: LedgerAddValues, existing: LedgerFile | undefined, target: string): { window: number; tokenizer: string } {
  const tokenizer = values.tokenizer ?? existing?.ledger.tokenizer ?? 'o200k_base';
  if (TOKENIZER_VOCAB_SIZES[tokenizer] === undefined) throw new UsageError(`--tokenizer: unknown tokenizer "${tokenizer}"`);
  const window = integerOption('window', values.window, 1, 64) ?? existing?.ledger.window ?? 2;
  if (existing && (existing.ledger.window !== window || existing.ledger.tokenizer !== tokenizer)) {
    throw new UsageError(`${target} records h=${existing.ledger.window} with ${existing.ledger.tokenizer}: --window/--tokenizer disagree`);
  }
  return { window, tokenizer };
}

function createEmissionLedger(window: number, tokenizer: string, values: LedgerAddValues): EmissionLedger {
  const capacity = integerOption('capacity', values.capacity, 1);
  const falsePositiveRate = numberOption('fpr', values.fpr, (x) => x > 0 && x < 1);
  // The largest Bloom filter is 2^31 bits (256 MiB): beyond, the rate would silently be missed.
  const bits = (-(capacity ?? 1e7) * Math.log(falsePositiveRate ?? 1e-3)) / Math.LN2 ** 2;
  if (bits > 2 ** 31) {
    const most = Math.floor((2 ** 31 * Math.LN2 ** 2) / -Math.log(falsePositiveRate ?? 1e-3));
    throw new UsageError(`--capacity: at most ${most.toLocaleString('en-US')} windows fit one ledger at this --fpr (256 MiB)`);
  }
  return EmissionLedger.create({ window, tokenizer, capacity, falsePositiveRate });
}
