// Closed-mode scorer throughput, end to end on raw JSONL (read, JSON.parse, tokenize, score).
// Run: npx tsx benchmarks/radioactivity-throughput.bench.ts
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from '../src/key/key.js';
import { trainingDocuments } from '../src/node/corpora.js';
import { readTextRecords } from '../src/node/radioactivity-records.js';
import { runClosedModeFile } from '../src/node/radioactivity-files.js';
import { getTokenizer } from '../src/key/tokenizer.js';
import { RESULTS_DIR } from './lib/timing.js';

const dir = mkdtempSync(join(tmpdir(), 'radiomark-throughput-'));
const path = join(dir, 'suspect.jsonl');
const lines: string[] = [];
for (const doc of trainingDocuments()) {
  for (let i = 0; i + 1200 <= doc.text.length && lines.length < 8000; i += 1200) {
    lines.push(JSON.stringify({ prompt: doc.text.slice(i, i + 100), completion: doc.text.slice(i + 100, i + 1200) }));
  }
}
writeFileSync(path, `${lines.join('\n')}\n`);
const bytes = statSync(path).size;
const tokenizer = getTokenizer('o200k_base');

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [(performance.now() - t) / 1000, r];
}

// Stage costs: parse only, parse + tokenize, full scoring (one pass and two passes).
const [parseSeconds, completionTokens] = await time(async () => {
  let chars = 0;
  for await (const r of readTextRecords(path, { fields: ['completion'] })) chars += r.text.length + r.prompt.length;
  return chars;
});
const [tokenizeSeconds, tokens] = await time(async () => {
  let n = 0;
  for await (const r of readTextRecords(path, { fields: ['completion'] }))
    n += tokenizer.encode(r.prompt).length + tokenizer.encode(r.text).length;
  return n;
});
const key = generateKey({ window: 2 });
const run = (controls: number, promptRule: 'all' | 'earlier') =>
  time(() =>
    runClosedModeFile(path, [key], {
      tokenizer: 'o200k_base',
      controls: Array.from({ length: controls }, () => generateKey({ window: 2 })),
      promptRule,
    }),
  );
// One untimed run first: the pure-JS encoder (gpt-tokenizer, used when installed) and the
// scorer are JIT-compiled on first use.
await run(0, 'earlier');
const [onePass, r1] = await run(0, 'earlier');
const [twoPass] = await run(0, 'all');
const [withControls] = await run(20, 'all');
const result = {
  file: { lines: lines.length, bytes, tokens, completionTokens: r1.tokens },
  parseOnly: { seconds: parseSeconds, mbPerSecond: bytes / 1e6 / parseSeconds, chars: completionTokens },
  parseAndTokenize: { seconds: tokenizeSeconds, tokensPerSecond: tokens / tokenizeSeconds, mbPerSecond: bytes / 1e6 / tokenizeSeconds },
  closedOnePass: { seconds: onePass, tokensPerSecond: tokens / onePass },
  closedTwoPass: { seconds: twoPass, tokensPerSecond: tokens / twoPass },
  closedTwoPass20Controls: { seconds: withControls, tokensPerSecond: tokens / withControls },
  encoder:
    process.env.RADIOMARK_TOKENIZER === 'tiktoken'
      ? 'tiktoken (forced)'
      : 'gpt-tokenizer when installed, else tiktoken (see src/node/fast-encoder.ts)',
  note: 'tokens = prompt + completion tokens read; one core; parseAndTokenize uses tiktoken; the two-pass rule reads the file twice (prompts only in the first pass)',
};
writeFileSync(join(RESULTS_DIR, 'radioactivity-throughput.json'), `${JSON.stringify(result, null, 1)}\n`);
console.log(JSON.stringify(result, null, 1));
