import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKey } from '../../src/key/key.js';
import { readLines } from '../../src/node/radioactivity-lines.js';
import { runClosedModeFile } from '../../src/node/radioactivity-files.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-radio-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('closed mode over JSONL files', () => {
  const good = (c: string, p = 'Tell me') => JSON.stringify({ prompt: p, completion: c });

  it('fails on a bad line, naming its number', async () => {
    const path = file('bad.jsonl', [good('one two three'), good('four five'), '{"prompt": "x"', good('six')].join('\n'));
    await expect(runClosedModeFile(path, [generateKey()], { tokenizer: 'o200k_base' })).rejects.toThrow(/line 3: not valid JSON/);
    const missing = file('missing.jsonl', [good('a b c'), JSON.stringify({ prompt: 'p' })].join('\n'));
    await expect(runClosedModeFile(missing, [generateKey()], { tokenizer: 'o200k_base' })).rejects.toThrow(
      /line 2: missing field "completion"/,
    );
  });

  it('skips and reports bad lines with skipBadLines', async () => {
    const path = file('skip.jsonl', [good('one two three four'), 'oops', '[1]', good('five six seven')].join('\n'));
    const r = await runClosedModeFile(path, [generateKey()], { tokenizer: 'o200k_base', skipBadLines: true });
    expect(r.badLines.map((b) => b.line)).toEqual([2, 3]);
    expect(r.records).toBe(2);
    expect(r.notes.join(' ')).toMatch(/2 bad line\(s\) skipped: 2, 3/);
  });

  it('never scores windows of any prompt, whatever the line order (two passes)', async () => {
    const text = 'the quick brown fox jumps over the lazy dog';
    // Line 1's completion contains line 2's prompt.
    const path = file('order.jsonl', [good(text, 'hello'), good('and then', text)].join('\n'));
    const key = generateKey({ window: 2 });
    const two = await runClosedModeFile(path, [key], { tokenizer: 'o200k_base', promptRule: 'all' });
    const one = await runClosedModeFile(path, [key], { tokenizer: 'o200k_base', promptRule: 'earlier' });
    expect(two.promptExcluded).toBeGreaterThan(one.promptExcluded);
    expect(two.scored).toBeLessThan(one.scored);
  });

  it('streams lines across chunk boundaries and CRLF endings', async () => {
    const long = 'x'.repeat(3 << 20);
    const path = file('lines.txt', `a\r\n${long}\nb`);
    const lines = [];
    for await (const l of readLines(path)) lines.push([l.line, l.text.length]);
    expect(lines).toEqual([
      [1, 1],
      [2, 3 << 20],
      [3, 1],
    ]);
  });
});
