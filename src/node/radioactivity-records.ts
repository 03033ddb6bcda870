import { RadiomarkError } from '../base/errors.js';
import { readLines } from './radioactivity-lines.js';

/** One usable record of a JSONL input. */
export interface TextRecord {
  line: number;
  /** The prompt (empty when absent). */
  prompt: string;
  /** The completion / text. */
  text: string;
}

/** Options of {@link readTextRecords}. */
export interface RecordOptions {
  /** Field holding the text: e.g. `completion` (suspect outputs) or `text`. Several are tried in order. */
  fields: readonly string[];
  /** Report bad lines through `onBadLine` instead of failing. */
  skipBadLines?: boolean;
  /** Called for each bad line when skipping (line number and reason). */
  onBadLine?: (line: number, reason: string) => void;
  /** Name of the input in messages. */
  source?: string;
}

/**
 * Streams the records of a JSONL file: each non-blank line must be a JSON object with a
 * string text field (one of `fields`) and an optional string `prompt`. A bad line is an
 * `INPUT_FORMAT` error naming its line number, or, with `skipBadLines`, is reported to
 * `onBadLine` and skipped: never dropped silently.
 *
 * @example
 * ```ts
 * for await (const r of readTextRecords('suspect.jsonl', { fields: ['completion'] })) use(r.prompt, r.text);
 * ```
 */
export async function* readTextRecords(path: string, options: RecordOptions): AsyncGenerator<TextRecord> {
  const source = options.source ?? (path === '-' ? 'stdin' : path);
  for await (const { line, text } of readLines(path)) {
    if (text.trim() === '') continue;
    const parsed = parseRecord(text, options.fields);
    if (typeof parsed === 'string') {
      if (!options.skipBadLines) throw new RadiomarkError('INPUT_FORMAT', `${source} line ${line}: ${parsed}`);
      options.onBadLine?.(line, parsed);
      continue;
    }
    yield { line, ...parsed };
  }
}

/**
 * Parses one JSONL line: the record, or the reason it is bad.
 *
 * @example
 * ```ts
 * parseRecord('{"prompt":"a","completion":"b"}', ['completion']); // { prompt: 'a', text: 'b' }
 * ```
 */
export function parseRecord(text: string, fields: readonly string[]): { prompt: string; text: string } | string {
  const record = parseJsonObject(text);
  return typeof record === 'string' ? record : recordText(record, fields);
}

/**
 * Parses one JSONL line as a JSON object: the object, or the reason it is not one.
 *
 * @example
 * ```ts
 * parseJsonObject('[1]'); // 'expected a JSON object'
 * ```
 */
export function parseJsonObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'expected a JSON object';
  return value as Record<string, unknown>;
}

/**
 * The prompt and text of a parsed JSONL object (text from the first of `fields` present), or
 * the reason they are unusable.
 *
 * @example
 * ```ts
 * recordText({ prompt: 'a', completion: 'b' }, ['completion']); // { prompt: 'a', text: 'b' }
 * ```
 */
export function recordText(record: Record<string, unknown>, fields: readonly string[]): { prompt: string; text: string } | string {
  const field = fields.find((f) => f in record);
  if (field === undefined) return `missing field "${fields.join('" or "')}"`;
  const body = record[field];
  if (typeof body !== 'string') return `field "${field}" is not a string`;
  const prompt = record.prompt ?? '';
  if (typeof prompt !== 'string') return 'field "prompt" is not a string';
  return { prompt, text: body };
}
