// Data of the neural-student benchmark (issue #15): human text and teacher outputs, re-tokenised
// with the student's tokenizer (cl100k_base) into `.u32` token files (README.md: flat LE uint32
// ids, documents terminated by 0xFFFFFFFF, JSON manifest beside).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { RandomSource } from '../../src/base/rng.js';
import { concatIds } from '../../src/base/token-ids.js';
import type { WatermarkKey } from '../../src/key/key.js';
import { getTokenizer } from '../../src/key/tokenizer.js';
import type { LanguageModel } from '../../src/model/language-model.js';
import { heldOutDocuments, trainingDocuments } from '../../src/node/corpora.js';
import { createWatermark } from '../../src/watermark/watermark.js';
import { generateDocs } from '../lib/distillation-docs.js';

export const STUDENT_TOKENIZER = 'cl100k_base';
export const TEACHER_TOKENIZER = 'o200k_base';
const TERMINATOR = 0xffffffff;
const student = () => getTokenizer(STUDENT_TOKENIZER);
const teacherTok = () => getTokenizer(TEACHER_TOKENIZER);

/** A teacher output: the o200k prompt and text, and prompt + text re-tokenised with cl100k. */
export interface TeacherDoc {
  prompt: Uint32Array;
  text: Uint32Array;
  studentIds: Uint32Array;
}

/** Writes `path` (.u32) and `path.json` (manifest with sha-256); returns the token count. */
export function writeTokenFile(path: string, docs: readonly Uint32Array[], meta: Record<string, unknown>): number {
  const total = docs.reduce((a, d) => a + d.length, 0);
  const out = new Uint32Array(total + docs.length);
  let at = 0;
  for (const d of docs) {
    out.set(d, at);
    out[at + d.length] = TERMINATOR;
    at += d.length + 1;
  }
  const bytes = Buffer.from(out.buffer); // little-endian on every platform Node runs on here
  writeFileSync(path, bytes);
  const manifest = {
    format: 'radiomark.tokens',
    version: 1,
    tokenizer: STUDENT_TOKENIZER,
    vocabSize: student().vocabSize,
    documents: docs.length,
    tokens: total,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    meta,
  };
  writeFileSync(`${path}.json`, `${JSON.stringify(manifest, null, 1)}\n`);
  return total;
}

/** Human text of the embedded corpora in cl100k chunks of `chunk` tokens, about `total` tokens. */
export function humanChunks(split: 'train' | 'heldout', total: number, chunk = 256): Uint32Array[] {
  const docs = split === 'train' ? trainingDocuments() : heldOutDocuments();
  const out: Uint32Array[] = [];
  let n = 0;
  for (const d of docs) {
    const ids = student().encode(d.text);
    for (let i = 0; i + 16 <= ids.length && n < total; i += chunk) {
      const c = ids.slice(i, Math.min(ids.length, i + chunk, i + total - n));
      out.push(c);
      n += c.length;
    }
    if (n >= total) break;
  }
  return out;
}

/** The teacher's texts for `prompts` (o200k), with (key) or without (null) the watermark. */
export async function teacherDocs(
  teacher: LanguageModel,
  prompts: Uint32Array[],
  total: number,
  key: WatermarkKey | null,
  rng: RandomSource,
  textTokens: number,
): Promise<TeacherDoc[]> {
  const watermark = key ? createWatermark(key, { vocabSize: teacher.vocabSize }) : null;
  const docs = await generateDocs(teacher, prompts, total, rng, { watermark, textTokens });
  return docs.map((d) => ({ ...d, studentIds: student().encode(teacherTok().decode(concatIds(d.prompt, d.text))) }));
}

/** A fine-tuning mixture: `size` cl100k tokens of which a share `rho` are teacher tokens. */
export interface Mixture {
  docs: Uint32Array[];
  /** The teacher documents inside, re-tokenised with o200k (what supervised reading reads). */
  teacherTexts: Uint32Array[];
  teacherTokens: number;
  humanTokens: number;
}

/**
 * Teacher docs in order until rho * size cl100k tokens (the last one cut), human chunks for
 * the rest, shuffled. The teacher part is what memorisation can carry into the student.
 */
export function buildMixture(
  teacher: readonly TeacherDoc[],
  human: readonly Uint32Array[],
  rho: number,
  size: number,
  rng: RandomSource,
): Mixture {
  const docs: Uint32Array[] = [];
  const teacherTexts: Uint32Array[] = [];
  const target = Math.round(rho * size);
  let t = 0;
  for (const d of teacher) {
    if (t >= target) break;
    const ids = d.studentIds.subarray(0, target - t);
    docs.push(ids);
    teacherTexts.push(teacherTok().encode(student().decode(ids)));
    t += ids.length;
  }
  if (t < target) throw new Error(`not enough teacher tokens: ${t} < ${target}`);
  let h = 0;
  for (const c of human) {
    if (h >= size - target) break;
    const ids = c.subarray(0, size - target - h);
    docs.push(ids);
    h += ids.length;
  }
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [docs[i], docs[j]] = [docs[j]!, docs[i]!];
  }
  return { docs, teacherTexts, teacherTokens: t, humanTokens: h };
}
