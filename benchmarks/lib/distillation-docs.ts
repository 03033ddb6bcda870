// Teacher and student texts of the distillation simulations (distillation, distillation-schemes,
// attribution): generating prompt/text pairs, taking a share of them, training a student.
import { generateTokens } from '../../src/watermark/generate.js';
import type { LanguageModel } from '../../src/model/language-model.js';
import type { KneserNeyModel } from '../../src/model/kneser-ney-model.js';
import { trainKneserNey } from '../../src/model/train-kneser-ney.js';
import type { RandomSource } from '../../src/base/rng.js';
import { concatIds } from '../../src/base/token-ids.js';
import type { Watermark } from '../../src/watermark/watermark.js';

/** One generated text with the prompt it answers (and the account it went to, if any). */
export interface Doc {
  prompt: Uint32Array;
  text: Uint32Array;
  account?: number;
}

/** Options of {@link generateDocs}. */
export interface GenerateDocsOptions {
  watermark?: Watermark | null;
  /** Account recorded on each doc (the watermark's own account id, for ledgers). */
  account?: number;
  /** Index of the first prompt used (prompts are cycled). Default 0. */
  offset?: number;
  /** Tokens per text. Default 256. */
  textTokens?: number;
  /** Sample from the model's top k only. */
  topK?: number;
}

/** Texts from `model` answering `prompts` in turn until `total` tokens are generated. */
export async function generateDocs(
  model: LanguageModel,
  prompts: Uint32Array[],
  total: number,
  rng: RandomSource,
  options: GenerateDocsOptions = {},
): Promise<Doc[]> {
  const { watermark = null, account, offset = 0, textTokens = 256, topK } = options;
  const docs: Doc[] = [];
  for (let n = 0, i = offset; n < total; i++) {
    const prompt = prompts[i % prompts.length]!;
    const out: number[] = [];
    for await (const t of generateTokens(model, prompt, { maxTokens: Math.min(textTokens, total - n), watermark, rng, topK })) out.push(t);
    docs.push(account === undefined ? { prompt, text: Uint32Array.from(out) } : { prompt, text: Uint32Array.from(out), account });
    n += out.length;
  }
  return docs;
}

/** The first docs holding at least `tokens` text tokens in all. */
export function takeDocs(docs: Doc[], tokens: number): Doc[] {
  const out: Doc[] = [];
  for (let n = 0, i = 0; n < tokens && i < docs.length; i++) {
    out.push(docs[i]!);
    n += docs[i]!.text.length;
  }
  return out;
}

/** The first `total` tokens of `streams` (in a shuffled stream order when `rng` is given). */
export function firstTokens(streams: Uint32Array[], total: number, rng?: RandomSource): Uint32Array[] {
  const order = streams.map((_, i) => i);
  if (rng) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  const out: Uint32Array[] = [];
  for (let n = 0, i = 0; n < total && i < order.length; i++) {
    const s = streams[order[i]!]!;
    out.push(s.length > total - n ? s.subarray(0, total - n) : s);
    n += Math.min(s.length, total - n);
  }
  return out;
}

/** A Kneser-Ney student trained on human streams plus generated docs (prompt and text). */
export function trainStudent(human: Uint32Array[], extra: Doc[], order: number, vocabSize: number): KneserNeyModel {
  return trainKneserNey([...human, ...extra.map((d) => concatIds(d.prompt, d.text))], { order, vocabSize });
}
