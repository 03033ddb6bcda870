import { open, readFile } from 'node:fs/promises';
import { RadiomarkError } from '../base/errors.js';
import { describeFsError } from '../node/fs-errors.js';
import { readLines } from '../node/radioactivity-lines.js';

/**
 * Reads a prompts file: JSONL, one `{"prompt": "..."}` per line (other fields ignored, so an
 * answers file is also a prompts file); blank lines are skipped. A bad line or an empty file
 * is an `INPUT_FORMAT` error naming the line.
 *
 * @example
 * ```ts
 * const prompts = await readPrompts('prompts.jsonl'); // ['The ship', ...]
 * ```
 */
export async function readPrompts(path: string): Promise<string[]> {
  const prompts: string[] = [];
  for await (const { line, text } of readLines(path)) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new RadiomarkError('INPUT_FORMAT', `${path} line ${line}: not JSON (expected {"prompt": "..."})`);
    }
    const prompt = (value as { prompt?: unknown } | null)?.prompt;
    if (typeof prompt !== 'string' || prompt.length === 0) {
      throw new RadiomarkError('INPUT_FORMAT', `${path} line ${line}: expected a non-empty string "prompt"`);
    }
    prompts.push(prompt);
  }
  if (prompts.length === 0) throw new RadiomarkError('INPUT_FORMAT', `${path}: no prompts`);
  return prompts;
}

/**
 * The prompts still to ask, given an answers file from an interrupted run: each complete
 * `{"prompt", "completion"}` line there accounts for one occurrence of its prompt. A last
 * line cut short by the interruption (no newline) is removed from the file, so appending
 * resumes cleanly and no answer is ever written twice.
 *
 * @example
 * ```ts
 * const todo = await remainingPrompts(prompts, 'answers.jsonl');
 * ```
 */
export async function remainingPrompts(prompts: readonly string[], outPath: string): Promise<{ todo: string[]; done: number }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(outPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { todo: [...prompts], done: 0 };
    throw new RadiomarkError('INPUT_FORMAT', `cannot read ${outPath}: ${describeFsError(e)}`);
  }
  const complete = bytes.lastIndexOf(10) + 1;
  if (complete < bytes.length) await truncateFile(outPath, complete);
  const answered = new Map<string, number>();
  let done = 0;
  bytes
    .toString('utf8', 0, complete)
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      const prompt = answerPrompt(text);
      if (prompt === undefined)
        throw new RadiomarkError('INPUT_FORMAT', `${outPath} line ${i + 1}: not a probe answer; refusing to append to it`);
      answered.set(prompt, (answered.get(prompt) ?? 0) + 1);
      done++;
    });
  const todo: string[] = [];
  for (const p of prompts) {
    const left = answered.get(p) ?? 0;
    if (left > 0) answered.set(p, left - 1);
    else todo.push(p);
  }
  return { todo, done };
}

function answerPrompt(text: string): string | undefined {
  try {
    const v = JSON.parse(text) as { prompt?: unknown; completion?: unknown } | null;
    return typeof v?.prompt === 'string' && typeof v.completion === 'string' ? v.prompt : undefined;
  } catch {
    return undefined;
  }
}

async function truncateFile(path: string, length: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(length);
  } finally {
    await handle.close();
  }
}
