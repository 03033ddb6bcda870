import { createReadStream } from 'node:fs';
import { MAX_ACCOUNT_ID } from '../accounts/account-code.js';
import { RadiomarkError } from '../base/errors.js';
import { describeFsError } from './fs-errors.js';

/**
 * Parses one decimal account id (0 to 2^32 - 1): the id, or the reason the text is not one.
 * Only decimal digits are accepted (no sign, exponent, hex or fraction), so an id is never
 * read as something else than what was written.
 *
 * @example
 * ```ts
 * parseAccountId('42'); // 42
 * parseAccountId('4294967296'); // 'account id 4294967296 is out of range (0 to 4294967295)'
 * ```
 */
export function parseAccountId(text: string): number | string {
  // ASCII blanks only, as in files: other characters make the id unreadable, not ignorable.
  const s = text.replace(/^[ \t\r\v\f]+|[ \t\r\v\f]+$/g, '');
  if (!/^[0-9]+$/.test(s)) return `not a decimal account id: "${s.slice(0, 40)}"`;
  const id = Number(s);
  return id <= MAX_ACCOUNT_ID ? id : `account id ${s.slice(0, 40)} is out of range (0 to ${MAX_ACCOUNT_ID})`;
}

/**
 * Reads a list of candidate account ids (a file, or standard input for `-`): one decimal id
 * per line; blank lines and lines starting with `#` are ignored. Lines are parsed as bytes
 * straight from 1 MiB chunks into a growing Uint32Array (no string per line), so a million
 * ids load in a fraction of a second. A bad line, a duplicate id or an empty list is an
 * error naming the line(s).
 *
 * @example
 * ```ts
 * const candidates = await readAccountList('accounts.txt'); // Uint32Array
 * ```
 */
export async function readAccountList(path: string): Promise<Uint32Array> {
  const source = path === '-' ? 'stdin' : path;
  const list = new IdCollector(source);
  const stream = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  let carry: Buffer | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
        list.addLine(buf, start, nl);
        start = nl + 1;
      }
      carry = start < buf.length ? buf.subarray(start) : undefined;
    }
  } catch (e) {
    if (e instanceof RadiomarkError) throw e;
    throw new RadiomarkError('INPUT_FORMAT', `cannot read ${source}: ${describeFsError(e)}`);
  }
  if (carry) list.addLine(carry, 0, carry.length);
  return list.finish();
}

const SKIP = -1;
const BAD = -2;

/** Collects ids line by line, with their line numbers for error messages. */
class IdCollector {
  private ids = new Uint32Array(1024);
  private lines = new Uint32Array(1024);
  private count = 0;
  private line = 0;

  constructor(private readonly source: string) {}

  addLine(buf: Buffer, start: number, end: number): void {
    this.line++;
    // A UTF-8 byte-order mark before the first line is not part of it.
    if (this.line === 1 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    const id = parseLineBytes(buf, start, end);
    if (id === SKIP) return;
    if (id === BAD) {
      const reason = parseAccountId(buf.toString('utf8', start, end));
      throw new RadiomarkError('INPUT_FORMAT', `${this.source} line ${this.line}: ${reason}`);
    }
    if (this.count === this.ids.length) [this.ids, this.lines] = [grow(this.ids), grow(this.lines)];
    this.ids[this.count] = id;
    this.lines[this.count++] = this.line;
  }

  finish(): Uint32Array {
    if (this.count === 0) throw new RadiomarkError('EMPTY_INPUT', `${this.source}: no account ids (one decimal id per line)`);
    const ids = this.ids.slice(0, this.count);
    this.checkUnique(ids);
    return ids;
  }

  // Sorting a copy finds a duplicate in O(n log n); the (rare) error path then looks up its lines.
  private checkUnique(ids: Uint32Array): void {
    const sorted = ids.slice().sort();
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i] !== sorted[i - 1]) continue;
      const first = ids.indexOf(sorted[i]!);
      const second = ids.indexOf(sorted[i]!, first + 1);
      throw new RadiomarkError(
        'INPUT_FORMAT',
        `${this.source} line ${this.lines[second]}: account id ${sorted[i]} is listed twice (first on line ${this.lines[first]})`,
      );
    }
  }
}

// The id on bytes start..end, SKIP for a blank or comment line, BAD otherwise (the caller
// then builds the message from the line's text).
function parseLineBytes(buf: Buffer, start: number, end: number): number {
  while (start < end && isSpace(buf[start]!)) start++;
  while (end > start && isSpace(buf[end - 1]!)) end--;
  if (start === end || buf[start] === 0x23 /* # */) return SKIP;
  let id = 0;
  for (let i = start; i < end; i++) {
    const digit = buf[i]! - 0x30;
    if (digit < 0 || digit > 9) return BAD;
    id = id * 10 + digit; // exact below 2^53; once past MAX_ACCOUNT_ID it stays past it
  }
  return id <= MAX_ACCOUNT_ID ? id : BAD;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0b || byte === 0x0c;
}

function grow(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}
