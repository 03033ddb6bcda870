import { DEFAULT_ALPHA } from '../../stats/validate.js';
import { warn } from '../progress.js';
import type { AttributionMethod } from '../../accounts/attribute-accounts.js';
import { DEFAULT_DECODE_BUDGET } from '../../accounts/decode-account.js';
import { generateKey, type WatermarkKey } from '../../key/key.js';
import { readAccountList } from '../../node/account-list.js';
import { loadKey } from '../../node/key-store.js';
import { loadAccountLedger } from '../../node/ledger-files.js';
import { loadWindowFilter, readClosedModeFile } from '../../node/radioactivity-files.js';
import { createWatermark } from '../../watermark/watermark.js';
import { getTokenizer } from '../../key/tokenizer.js';
import { checkAccountKey, checkOwnersKey } from '../account-options.js';
import { formatAttribution, formatDecoding } from '../account-format.js';
import { MAX_CONTROLS, integerOption, numberOption, parseVerbArgs, required } from '../args.js';
import { readTextInput } from '../input.js';
import { progressBar } from '../progress.js';
import { UsageError } from '../usage-error.js';
import { formatReport } from './radioactivity.js';

export const ATTRIBUTE_HELP = `Usage: radiomark attribute --key KEY [FILE | -] [--accounts IDS] [options]
       radiomark attribute --key KEY --suspect OUTPUTS.jsonl --accounts IDS [--owners LEDGER] [options]

Finds which account a watermarked text, or a suspect model's training data, came from.
Texts carry account ids when generated with one (radiomark generate --account ID; kgw keys
with lefthash or minhash seeding).

Text mode: FILE (or standard input for - or no FILE) is one plain text. Its account id is
decoded with a p-value corrected for all 2^32 ids. With --accounts, every candidate is also
tested against the text (exact conditional p-values, Holm over the candidates).

Suspect mode (--suspect): OUTPUTS.jsonl holds the suspect model's outputs, one
{"prompt": ..., "completion": ...} per line, read as by radiomark radioactivity (closed
model: one global tape, prompt windows never scored). Reports the zero-bit radioactivity
verdict, the per-account tests of the --accounts candidates, and the dominant account id
decoded from the outputs, if any.

Per-account tests, two methods (docs/ATTRIBUTION.md):
  ledger  (default with --owners) each candidate is tested on the suspect tuples at windows
          that only it received, per an account ledger (radiomark ledger add --owners).
          Far more powerful; lefthash keys only. The ledger must hold EVERY account's
          outputs: a window missing from it can make an innocent account look guilty.
  tally   (default otherwise) each candidate's codeword score against the exact
          distribution of a random codeword's, given the tally; needs only the key.

IDS is a text file with one decimal account id per line; blank lines and lines starting
with # are ignored; duplicates are an error.

Options:
  --key FILE          key file (from radiomark keygen)
  --accounts IDS      candidate accounts to test (required with --suspect)
  --alpha A           family-wise significance level (default 1e-6)
  --top N             accounts listed besides the significant ones (default 10)
  --budget N          ids the decoder may try, 1..1000000 (default ${DEFAULT_DECODE_BUDGET})
  --prompt TEXT       text mode: the prompt the text answers (its windows are not scored)
  --prompt-file F     text mode: read the prompt from a file
  --suspect FILE      suspect mode: the suspect's outputs (JSONL; - for stdin)
  --controls N        suspect mode: wrong keys scored beside the real one, 0..1000 (default 20)
  --owners LEDGER     suspect mode: account ledger of every account's outputs (enables the
                      ledger method)
  --method M          suspect mode: ledger or tally (default ledger with --owners, else tally)
  --filter FILE       suspect mode: score only windows of your watermarked outputs (see
                      radiomark radioactivity --help); with the tally method, a filter that
                      holds innocent accounts' outputs makes its null approximate
                      (docs/ATTRIBUTION.md section 3)
  --single-pass       suspect mode: one pass, each line's prompt registered before it
  --skip-bad-lines    suspect mode: skip (and report) bad JSONL lines instead of failing
  --json              print the full reports as JSON
  -h, --help          show this help

Examples:
  radiomark generate --key provider.key --account 1042 --prompt "Dear" > reply.txt
  radiomark attribute --key provider.key reply.txt
  radiomark attribute --key provider.key --accounts customers.txt reply.txt
  radiomark attribute --key provider.key --suspect suspect.jsonl --accounts customers.txt --json
  radiomark ledger add --owners owners.rmowners served.jsonl
  radiomark attribute --key provider.key --suspect suspect.jsonl --accounts customers.txt --owners owners.rmowners

Exit code 0 whatever the verdict; 2 for bad usage or input.`;

const FLAGS = {
  key: { type: 'string' },
  accounts: { type: 'string' },
  alpha: { type: 'string' },
  top: { type: 'string' },
  budget: { type: 'string' },
  prompt: { type: 'string' },
  'prompt-file': { type: 'string' },
  suspect: { type: 'string' },
  controls: { type: 'string' },
  filter: { type: 'string' },
  owners: { type: 'string' },
  method: { type: 'string' },
  'single-pass': { type: 'boolean' },
  'skip-bad-lines': { type: 'boolean' },
} as const;

const SUSPECT_ONLY = ['controls', 'filter', 'owners', 'method', 'single-pass', 'skip-bad-lines'] as const;
const TEXT_ONLY = ['prompt', 'prompt-file'] as const;

type Values = ReturnType<typeof parseVerbArgs<typeof FLAGS>>['values'];

/** The numeric options, parsed before any input is read. */
interface Settings {
  alpha: number;
  top: number;
  budget: number | undefined;
  controls: number;
  /** Per-account test method (suspect mode). */
  method: AttributionMethod;
}

/** `radiomark attribute`. */
export async function attribute(argv: string[], out: (s: string) => void): Promise<void> {
  const { values, positionals } = parseVerbArgs('attribute', argv, FLAGS);
  if (values.help) return out(ATTRIBUTE_HELP);
  checkModeFlags(values, positionals);
  const settings = readSettings(values);
  const key = await loadKey(required('key', values.key, 'attribute'), { warn });
  checkAccountKey(key);
  if (values.owners !== undefined) checkOwnersKey(key);
  if (values.suspect !== undefined) return suspectMode(values.suspect, key, values, settings, out);
  return textMode(positionals[0], key, values, settings, out);
}

function readSettings(values: Values): Settings {
  return {
    alpha: numberOption('alpha', values.alpha, (x) => x > 0 && x < 1) ?? DEFAULT_ALPHA,
    top: integerOption('top', values.top, 0, 1_000_000) ?? 10,
    budget: numberOption('budget', values.budget, (x) => Number.isInteger(x) && x >= 1 && x <= 1e6),
    controls: integerOption('controls', values.controls, 0, MAX_CONTROLS) ?? 20,
    method: methodOption(values),
  };
}

// The ledger method needs the ledger; the tally method would silently ignore one.
function methodOption(values: Values): AttributionMethod {
  const { method, owners } = values;
  if (method !== undefined && method !== 'ledger' && method !== 'tally')
    throw new UsageError(`--method: expected ledger or tally (got "${method}")`);
  if (method === 'ledger' && owners === undefined)
    throw new UsageError("--method ledger needs --owners (an account ledger of every account's outputs)");
  if (method === 'tally' && owners !== undefined) throw new UsageError('--method tally does not use --owners: drop one of them');
  return method ?? (owners === undefined ? 'tally' : 'ledger');
}

// Mode mistakes are caught before the key and the inputs are read.
function checkModeFlags(values: Values, positionals: string[]): void {
  if (values.suspect !== undefined) {
    if (positionals.length > 0) throw new UsageError('--suspect reads the suspect outputs: give no FILE');
    if (values.accounts === undefined) throw new UsageError('--suspect needs --accounts (the candidate accounts to test)');
    const misplaced = TEXT_ONLY.find((f) => values[f] !== undefined);
    if (misplaced) throw new UsageError(`--${misplaced} is for text mode (with --suspect, prompts come from the JSONL)`);
    if (values.suspect === '-' && values.accounts === '-') throw new UsageError('only one input can come from standard input');
    if (values.owners === '-') throw new UsageError('--owners reads an account ledger file, not standard input');
    return;
  }
  const misplaced = SUSPECT_ONLY.find((f) => values[f] !== undefined);
  if (misplaced) throw new UsageError(`--${misplaced} needs --suspect`);
  if (positionals.length > 1) throw new UsageError('give at most one input file');
  if (values.prompt !== undefined && values['prompt-file'] !== undefined) throw new UsageError('give --prompt or --prompt-file, not both');
  const file = positionals[0];
  if (file?.endsWith('.jsonl'))
    throw new UsageError(`${file}: text mode reads one plain text (use --suspect for a suspect model's JSONL outputs)`);
  const stdinUsers = [file ?? '-', values.accounts, values['prompt-file']].filter((p) => p === '-');
  if (stdinUsers.length > 1) throw new UsageError('only one input can come from standard input');
}

async function textMode(file: string | undefined, key: WatermarkKey, values: Values, s: Settings, out: (s: string) => void): Promise<void> {
  const candidates = values.accounts === undefined ? undefined : await readAccountList(values.accounts);
  const promptText = values['prompt-file'] !== undefined ? await readTextInput(values['prompt-file']) : values.prompt;
  const prompt = promptText === '' ? undefined : promptText;
  const text = await readTextInput(file);
  const watermark = createWatermark(key);
  // Tokenized once for both passes (decoding and the candidate tests).
  const tokenizer = getTokenizer(key.params.tokenizer);
  const ids = tokenizer.encode(text);
  const promptIds = prompt === undefined ? undefined : tokenizer.encode(prompt);
  const decoded = watermark.decodeAccount(ids, { prompt: promptIds, alpha: s.alpha, budget: s.budget });
  const attribution = candidates && watermark.attributeAccounts(ids, candidates, { prompt: promptIds, alpha: s.alpha, top: s.top });
  if (values.json) return out(JSON.stringify({ mode: 'text', keyId: key.id, decoded, attribution: attribution ?? null }));
  out(formatDecoding(decoded, key.id));
  if (attribution) out(formatAttribution(attribution));
}

async function suspectMode(path: string, key: WatermarkKey, values: Values, s: Settings, out: (s: string) => void): Promise<void> {
  const candidates = await readAccountList(values.accounts!);
  const controls = Array.from({ length: s.controls }, () => generateKey(key.params));
  const { tokenizer, window } = key.params;
  const filter = values.filter === undefined ? undefined : await loadWindowFilter(values.filter, window, tokenizer);
  const owners = values.owners === undefined ? undefined : await loadAccountLedger(values.owners, window, tokenizer);
  const bar = progressBar('scoring');
  const { test, report } = await readClosedModeFile(path, [key], {
    tokenizer,
    controls,
    filter,
    alpha: s.alpha,
    accounts: true,
    owners,
    skipBadLines: values['skip-bad-lines'],
    promptRule: values['single-pass'] || path === '-' ? 'earlier' : 'all',
    onRecord: (n) => bar.update(n, n),
  });
  bar.done();
  const attribution = test.attributeAccounts(candidates, { alpha: s.alpha, top: s.top, method: s.method });
  const decoded = test.decodeAccount({ alpha: s.alpha, budget: s.budget });
  if (values.json) return out(JSON.stringify({ mode: 'suspect', keyId: key.id, radioactivity: report, attribution, decoded }));
  out(formatReport(report));
  out(`  ${report.records} records; ${report.promptExcluded} positions in prompt windows, ${report.filteredOut} outside the filter`);
  out(formatAttribution(attribution));
  out(formatDecoding(decoded, key.id, 'the suspect outputs (dominant account)'));
}
