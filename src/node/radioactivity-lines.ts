import { createReadStream } from 'node:fs';
import { RadiomarkError } from '../base/errors.js';
import { describeFsError } from './fs-errors.js';

/** The longest line {@link readLines} accepts: 16 MiB (one record; memory stays bounded). */
export const MAX_LINE_BYTES = 16 << 20;

/** One line of a text file, 1-based. */
export interface NumberedLine {
  line: number;
  text: string;
}

/**
 * Streams the lines of a file (or standard input for `-`), never holding more than one
 * read chunk (1 MiB) plus one partial line in memory, so files of any size can be read; a line
 * over {@link MAX_LINE_BYTES} is an `INPUT_FORMAT` error.
 * Line endings `\n` and `\r\n` are both accepted.
 *
 * @example
 * ```ts
 * for await (const { line, text } of readLines('outputs.jsonl')) console.log(line, text.length);
 * ```
 */
export async function* readLines(path: string): AsyncGenerator<NumberedLine> {
  const stream = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  let carry: Buffer | undefined;
  let line = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
        yield { line: ++line, text: buf.toString('utf8', start, end) };
        start = nl + 1;
      }
      carry = start < buf.length ? buf.subarray(start) : undefined;
      if (carry && carry.length > MAX_LINE_BYTES) {
        throw new RadiomarkError('INPUT_FORMAT', `${path === '-' ? 'standard input' : path}: line ${line + 1} is longer than 16 MiB`);
      }
      buf = Buffer.alloc(0);
    }
  } catch (e) {
    throw ioError(path, e);
  }
  if (carry && carry.length > 0) {
    const end = carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length;
    yield { line: line + 1, text: carry.toString('utf8', 0, end) };
  }
}

function ioError(path: string, e: unknown): Error {
  if (e instanceof RadiomarkError) return e;
  return new RadiomarkError('INPUT_FORMAT', `cannot read ${path}: ${describeFsError(e)}`);
}
