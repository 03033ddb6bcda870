// Account ids under edits: texts watermarked with an account id on the reference model, then
// a share of their tokens replaced by random tokens (and, at 400 tokens, deleted or preceded by
// an inserted random token); blind decoding and attribution against 10,000 candidates (tally
// method), beside the zero-bit test.
// Run: npx tsx benchmarks/account-robustness.bench.ts [--quick]
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateTokens } from '../src/watermark/generate.js';
import { generateKey } from '../src/key/key.js';
import { heldOutPrompts } from '../src/node/heldout-prompts.js';
import { loadOrTrainReferenceModel } from '../src/node/model-cache.js';
import { seededRandom } from '../src/base/rng.js';
import { clopperPearson } from '../src/stats/index.js';
import { createWatermark } from '../src/watermark/watermark.js';
import { RESULTS_DIR } from './lib/timing.js';

const quick = process.argv.includes('--quick');
const TEXTS = quick ? 15 : 60;
const LENGTHS = [200, 400, 800];
const EDITS = [0, 0.1, 0.2, 0.3];
type EditKind = 'replace' | 'delete' | 'insert';
// Deletions and insertions are measured at one length only (they cost as much as a length each).
const KINDS: Record<number, EditKind[]> = { 200: ['replace'], 400: ['replace', 'delete', 'insert'], 800: ['replace'] };

function edited(ids: number[], kind: EditKind, rate: number, random: () => number): number[] {
  const out: number[] = [];
  for (const id of ids) {
    const hit = random() < rate;
    if (!hit) out.push(id);
    else if (kind === 'replace') out.push(Math.floor(random() * VOCAB));
    else if (kind === 'insert') out.push(Math.floor(random() * VOCAB), id);
  }
  return out;
}
const VOCAB = 200_019;
const ALPHA = 1e-6;

const model = await loadOrTrainReferenceModel({ order: 4 });
const prompts = heldOutPrompts({ count: TEXTS, promptTokens: 16, seed: 11 });
const key = generateKey();
const rng = seededRandom(5);
const candidates = Array.from(new Set(Array.from({ length: 10_000 }, () => Math.floor(rng() * 2 ** 32))));

const rows: Record<string, unknown>[] = [];
for (const length of LENGTHS) {
  const texts: { account: number; prompt: Uint32Array; ids: number[] }[] = [];
  for (let i = 0; i < TEXTS; i++) {
    const account = candidates[i]!;
    const ids: number[] = [];
    for await (const t of generateTokens(model, prompts[i]!, {
      maxTokens: length,
      watermark: createWatermark(key, { account, vocabSize: VOCAB }),
      rng,
    }))
      ids.push(t);
    texts.push({ account, prompt: prompts[i]!, ids });
  }
  for (const kind of KINDS[length]!)
    for (const edit of EDITS) {
      if (kind !== 'replace' && edit === 0) continue;
      let decoded = 0;
      let wrong = 0;
      let attributed = 0;
      let zeroBit = 0;
      const wm = createWatermark(key, { vocabSize: VOCAB });
      for (const t of texts) {
        const ids = edited(t.ids, kind, edit, rng);
        const d = wm.decodeAccount(ids, { prompt: t.prompt, alpha: ALPHA });
        if (d.account === t.account) decoded++;
        else if (d.account !== null) wrong++;
        const a = wm.attributeAccounts(ids, candidates, { prompt: t.prompt, alpha: ALPHA, top: 1 });
        if (a.accounts[0]!.account === t.account && a.accounts[0]!.significant) attributed++;
        if (wm.detect(ids, { prompt: t.prompt, alpha: ALPHA }).watermarked) zeroBit++;
      }
      const ci = (k: number) => {
        const c = clopperPearson(k, TEXTS, 0.95);
        return [c.lower, c.upper];
      };
      const row = {
        length,
        kind,
        edit,
        texts: TEXTS,
        decoded: decoded / TEXTS,
        decodedCi: ci(decoded),
        wrongSignificant: wrong,
        attributed: attributed / TEXTS,
        attributedCi: ci(attributed),
        zeroBit: zeroBit / TEXTS,
      };
      rows.push(row);
      console.log(
        `${length} tokens, ${edit * 100}% ${kind}: decoded ${decoded}/${TEXTS}, wrong ${wrong}, attributed ${attributed}/${TEXTS}, zero-bit ${zeroBit}/${TEXTS}`,
      );
    }
}
const out = { quick, alpha: ALPHA, candidates: candidates.length, loadAverage: loadavg(), rows };
writeFileSync(join(RESULTS_DIR, quick ? 'account-robustness-quick.json' : 'account-robustness.json'), `${JSON.stringify(out, null, 1)}\n`);
