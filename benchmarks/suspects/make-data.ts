// Acceptance data for reading real suspects (#14): watermarked and unwatermarked texts of the
// o200k reference teacher, as JSONL (prompt, text) for `radiomark radioactivity --open` and as
// cl100k_base .u32 token files (benchmarks/students format) to train cl100k students on.
// Usage: npx tsx benchmarks/suspects/make-data.ts [--tokens N] [--out DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createWatermark } from '../../src/watermark/watermark.js';
import { generateKey } from '../../src/key/key.js';
import { getTokenizer } from '../../src/key/tokenizer.js';
import { saveKey } from '../../src/node/key-store.js';
import { loadOrTrainReferenceModel } from '../../src/node/model-cache.js';
import { heldOutPrompts } from '../../src/node/heldout-prompts.js';
import { seededRandom } from '../../src/base/rng.js';
import { generateDocs, type Doc } from '../lib/distillation-docs.js';

const { values } = parseArgs({ options: { tokens: { type: 'string' }, out: { type: 'string' } } });
const total = Number(values.tokens ?? 12_000);
const out = values.out ?? join(import.meta.dirname, 'runs');
mkdirSync(out, { recursive: true });

const o200k = getTokenizer('o200k_base');
const cl100k = getTokenizer('cl100k_base');
const teacher = await loadOrTrainReferenceModel({ order: 4 });
const key = generateKey({ window: 2 });
await saveKey(key, join(out, 'teacher.key'));
const prompts = heldOutPrompts({ count: 400, promptTokens: 16 });

function write(name: string, docs: Doc[]): void {
  const lines = docs.map((d) => JSON.stringify({ prompt: o200k.decode(d.prompt), text: o200k.decode(d.text) }));
  writeFileSync(join(out, `${name}.jsonl`), lines.join('\n') + '\n');
  const ids: number[] = [];
  for (const d of docs) ids.push(...cl100k.encode(o200k.decode(d.prompt) + o200k.decode(d.text)), 0xffffffff);
  writeFileSync(join(out, `${name}.cl100k.u32`), Buffer.from(Uint32Array.from(ids).buffer));
  console.log(
    JSON.stringify({
      name,
      docs: docs.length,
      o200kTokens: docs.reduce((s, d) => s + d.text.length, 0),
      cl100kTokens: ids.length - docs.length,
    }),
  );
}

write('watermarked', await generateDocs(teacher, prompts, total, seededRandom(1), { watermark: createWatermark(key), textTokens: 200 }));
write('clean', await generateDocs(teacher, prompts, total, seededRandom(2), { offset: 200, textTokens: 200 }));
