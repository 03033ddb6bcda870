import { readFile } from 'node:fs/promises';
import { RadiomarkError } from '../base/errors.js';
import type { WatermarkKey } from '../key/key.js';
import { ACCOUNT_LEDGER_MAGIC, type AccountLedger } from '../ledger/account-ledger.js';
import { EmissionLedger, LEDGER_MAGIC } from '../ledger/emission-ledger.js';
import { ClosedModeTest } from '../radioactivity/closed-mode.js';
import type { RadioactivityReport } from '../radioactivity/report.js';
import { WindowSet, type WindowFilter } from '../windows/window-filter.js';
import { fastTextEncoder } from './fast-encoder.js';
import { readLines } from './radioactivity-lines.js';
import { readTextRecords } from './radioactivity-records.js';
import { concatIds } from '../base/token-ids.js';
import { loadAccountLedger, readMagic } from './ledger-files.js';

/** Token ids of one input text with its prompt. */
export interface TokenizedRecord {
  line: number;
  prompt: Uint32Array;
  text: Uint32Array;
}

/** Options shared by the file readers. */
export interface FileReadOptions {
  tokenizer: string;
  skipBadLines?: boolean;
  /** Bad lines seen (line number and reason), filled when skipping. */
  badLines?: { line: number; reason: string }[];
  /** Called after each record with the count so far. */
  onRecord?: (count: number) => void;
}

/**
 * Streams the texts of a file as token ids: JSONL (`.jsonl`, or `jsonl: true`) gives one
 * record per line from `fields` (plus an optional `prompt`); plain text gives one record per
 * block of paragraphs of about 1 MB (windows spanning two blocks are lost, a negligible
 * share).
 *
 * @example
 * ```ts
 * for await (const r of readTokenized('wm.jsonl', ['text', 'completion'], { tokenizer: 'o200k_base' })) use(r.text);
 * ```
 */
export async function* readTokenized(
  path: string,
  fields: readonly string[],
  options: FileReadOptions & { jsonl?: boolean },
): AsyncGenerator<TokenizedRecord> {
  const encode = await fastTextEncoder(options.tokenizer);
  const empty = new Uint32Array(0);
  if (options.jsonl || path.endsWith('.jsonl')) {
    const records = readTextRecords(path, {
      fields,
      skipBadLines: options.skipBadLines,
      onBadLine: (line, reason) => options.badLines?.push({ line, reason }),
    });
    let count = 0;
    for await (const r of records) {
      yield { line: r.line, prompt: r.prompt === '' ? empty : encode(r.prompt), text: encode(r.text) };
      options.onRecord?.(++count);
    }
    return;
  }
  let block: string[] = [];
  let size = 0;
  let first = 1;
  for await (const { line, text } of readLines(path)) {
    block.push(text);
    size += text.length + 1;
    if (size >= 1 << 20 && text.trim() === '') {
      yield { line: first, prompt: empty, text: encode(block.join('\n')) };
      [block, size, first] = [[], 0, line + 1];
    }
  }
  if (block.length > 0) yield { line: first, prompt: empty, text: encode(block.join('\n')) };
}

/**
 * Loads a closed-mode filter: an emission ledger file (recognised by its magic), or the
 * windows of watermarked outputs in text or JSONL (`text` or `completion` field, with the
 * prompt in front). The result is frozen: fixed before any suspect output is read.
 *
 * @example
 * ```ts
 * const filter = await loadWindowFilter('emitted.rmledger', 2, 'o200k_base');
 * ```
 */
export async function loadWindowFilter(path: string, window: number, tokenizer: string, skipBadLines = false): Promise<WindowFilter> {
  const magic = await readMagic(path);
  // An account ledger knows every emitted window exactly: it filters as well as an emission ledger.
  if (magic === ACCOUNT_LEDGER_MAGIC) return loadAccountLedger(path, window, tokenizer);
  if (magic === LEDGER_MAGIC) {
    const ledger = EmissionLedger.fromBytes(await readFile(path), path);
    if (ledger.window !== window) {
      throw new RadiomarkError('INPUT_FORMAT', `${path}: ledger records windows of h=${ledger.window} but the key has h=${window}`);
    }
    if (ledger.tokenizer !== tokenizer) {
      throw new RadiomarkError('INPUT_FORMAT', `${path}: ledger tokenizer ${ledger.tokenizer} differs from the key's ${tokenizer}`);
    }
    return ledger;
  }
  const set = new WindowSet(window);
  for await (const r of readTokenized(path, ['text', 'completion'], { tokenizer, skipBadLines })) {
    set.addText(r.prompt.length === 0 ? r.text : concatIds(r.prompt, r.text));
  }
  return set.freeze();
}

/** Options of {@link runClosedModeFile}. */
export interface ClosedFileOptions extends FileReadOptions {
  controls?: readonly WatermarkKey[];
  filter?: WindowFilter;
  alpha?: number;
  /** `all` (default for files): a first pass registers every prompt; `earlier`: one pass, own or earlier prompts. */
  promptRule?: 'all' | 'earlier';
  /** Also tally the first key's account layer (see {@link ClosedModeTest}), for per-account tests. */
  accounts?: boolean;
  /** Who received each emitted window (every account's outputs): enables the ledger method of per-account tests. */
  owners?: AccountLedger;
}

/** Report of {@link runClosedModeFile}. */
export interface ClosedFileReport extends RadioactivityReport {
  /** Records (lines) scored. */
  records: number;
  /** Bad lines skipped (with --skip-bad-lines). */
  badLines: { line: number; reason: string }[];
  promptRule: 'all' | 'earlier';
  /** Positions skipped because their window is in a prompt, or not in the filter. */
  promptExcluded: number;
  filteredOut: number;
}

/**
 * Runs the closed-mode test over a JSONL file of `{"prompt", "completion"}` lines, streaming
 * (memory: 16 bytes per unique tuple plus 16 per unique prompt window).
 *
 * @example
 * ```ts
 * const report = await runClosedModeFile('suspect.jsonl', [key], { tokenizer: 'o200k_base', controls });
 * ```
 */
export async function runClosedModeFile(
  path: string,
  keys: readonly WatermarkKey[],
  options: ClosedFileOptions,
): Promise<ClosedFileReport> {
  return (await readClosedModeFile(path, keys, options)).report;
}

/**
 * Like {@link runClosedModeFile}, but also gives back the test after reading, for the
 * per-account tests (`accounts: true`, and `owners` for the ledger method):
 * `test.attributeAccounts(ids)`, `test.decodeAccount()`.
 *
 * @example
 * ```ts
 * const { test, report } = await readClosedModeFile('suspect.jsonl', [key], { tokenizer: 'o200k_base', accounts: true });
 * const perAccount = test.attributeAccounts(candidates);
 * ```
 */
export async function readClosedModeFile(
  path: string,
  keys: readonly WatermarkKey[],
  options: ClosedFileOptions,
): Promise<{ test: ClosedModeTest; report: ClosedFileReport }> {
  const promptRule = options.promptRule ?? (path === '-' ? 'earlier' : 'all');
  if (promptRule === 'all' && path === '-') {
    throw new RadiomarkError('INVALID_ARGUMENT', 'standard input can be read only once: use a file for the all-prompts rule');
  }
  const { controls, filter, alpha, accounts, owners } = options;
  const test = new ClosedModeTest(keys, { controls, filter, alpha, promptRule, accounts, owners });
  const badLines = options.badLines ?? [];
  if (promptRule === 'all') {
    // First pass: prompts only (completions are not tokenized twice).
    const encode = await fastTextEncoder(options.tokenizer);
    for await (const r of readTextRecords(path, { fields: ['completion'], skipBadLines: options.skipBadLines })) {
      if (r.prompt !== '') test.excludePrompt(encode(r.prompt));
    }
  }
  let records = 0;
  for await (const r of readTokenized(path, ['completion'], { ...options, jsonl: true, badLines })) {
    if (promptRule === 'earlier') test.excludePrompt(r.prompt);
    test.readCompletion(r.text, r.prompt);
    records++;
  }
  const report = test.result();
  if (badLines.length > 0)
    report.notes.push(
      `${badLines.length} bad line(s) skipped: ${badLines
        .slice(0, 10)
        .map((b) => b.line)
        .join(', ')}${badLines.length > 10 ? ', ...' : ''}`,
    );
  return { test, report: { ...report, records, badLines, promptRule, promptExcluded: test.promptExcluded, filteredOut: test.filteredOut } };
}
