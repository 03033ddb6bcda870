import { RadiomarkError } from '../base/errors.js';
import { concatIds } from '../base/token-ids.js';
import { parseAccountId } from './account-list.js';
import { fastTextEncoder } from './fast-encoder.js';
import { readTokenized } from './radioactivity-files.js';
import { MAX_RAW_WINDOW } from '../windows/window-hash.js';
import { readLines } from './radioactivity-lines.js';
import { parseJsonObject, recordText } from './radioactivity-records.js';

/** One output and the account that received it. */
export interface AccountOutput {
  /** 1-based line (JSONL), or first line of the block (plain text). */
  line: number;
  account: number;
  /** Token ids of the prompt followed by the output: the windows the account received. */
  ids: Uint32Array;
}

/** Options of {@link readAccountOutputs}. */
export interface AccountOutputOptions {
  tokenizer: string;
  /**
   * Account of plain-text inputs and of JSONL lines without an `account` field. A JSONL line
   * naming another account is a bad line: one of the two is wrong, and a window credited to
   * the wrong account could later accuse an innocent one.
   */
  account?: number;
}

/**
 * Streams the outputs of a file with their accounts, for an account ledger. JSONL (`.jsonl`)
 * lines hold `text` or `completion`, an optional `prompt`, and `account` (a decimal id, as a
 * JSON number or string); other files are plain text, all sent to `options.account`. A bad
 * line is an `INPUT_FORMAT` error naming it (never skipped: an account ledger must record
 * every output).
 *
 * @example
 * ```ts
 * for await (const o of readAccountOutputs('served.jsonl', { tokenizer: 'o200k_base' })) ledger.record(o.account, o.ids);
 * ```
 */
export async function* readAccountOutputs(path: string, options: AccountOutputOptions): AsyncGenerator<AccountOutput> {
  if (path.endsWith('.jsonl')) return yield* readJsonl(path, options);
  const account = options.account;
  if (account === undefined) throw new RadiomarkError('INVALID_ARGUMENT', `${path}: plain-text outputs need an account`);
  // Plain text has no fields: one record per block of paragraphs, all sent to `account`. Each
  // block starts with the previous block's last tokens, so windows across blocks are recorded too.
  let tail = new Uint32Array(0);
  for await (const r of readTokenized(path, [], { tokenizer: options.tokenizer })) {
    yield { line: r.line, account, ids: concatIds(tail, r.text) };
    tail = r.text.slice(Math.max(0, r.text.length - MAX_RAW_WINDOW));
  }
}

async function* readJsonl(path: string, options: AccountOutputOptions): AsyncGenerator<AccountOutput> {
  const encode = await fastTextEncoder(options.tokenizer);
  for await (const { line, text } of readLines(path)) {
    if (text.trim() === '') continue;
    const parsed = parseLine(text, options.account);
    if (typeof parsed === 'string') {
      throw new RadiomarkError('INPUT_FORMAT', `${path === '-' ? 'stdin' : path} line ${line}: ${parsed}`);
    }
    const ids = parsed.prompt === '' ? encode(parsed.text) : concatIds(encode(parsed.prompt), encode(parsed.text));
    yield { line, account: parsed.account, ids };
  }
}

function parseLine(text: string, fallback: number | undefined): { prompt: string; text: string; account: number } | string {
  const record = parseJsonObject(text);
  if (typeof record === 'string') return record;
  const body = recordText(record, ['text', 'completion']);
  if (typeof body === 'string') return body;
  const account = accountOf(record, fallback);
  return typeof account === 'string' ? account : { ...body, account };
}

function accountOf(record: Record<string, unknown>, fallback: number | undefined): number | string {
  if (!('account' in record)) return fallback ?? 'missing field "account" (and no account given for the whole input)';
  const value = record.account;
  // A JSON number prints back as its decimal digits when it is an id; anything else is refused.
  const id = typeof value === 'number' || typeof value === 'string' ? parseAccountId(String(value)) : 'not a decimal account id';
  if (typeof id === 'string') return `field "account": ${id}`;
  if (fallback !== undefined && id !== fallback) return `field "account" is ${id}, not the account given for the whole input (${fallback})`;
  return id;
}
