import { seededRandom, type RandomSource } from '../base/rng.js';
import { concatIds } from '../base/token-ids.js';
import type { KneserNeyModel } from '../model/kneser-ney-model.js';
import type { LanguageModel } from '../model/language-model.js';
import { trainKneserNey } from '../model/train-kneser-ney.js';
import { generateTokens } from '../watermark/generate.js';
import type { Watermark } from '../watermark/watermark.js';

/** One prompt and the continuation a model gave. */
export interface PromptedText {
  prompt: Uint32Array;
  text: Uint32Array;
}

/** Inputs of {@link runDistillation}. */
export interface DistillationOptions {
  /** The provider's model (the teacher). */
  teacher: LanguageModel;
  /** The provider's watermark. */
  watermark: Watermark;
  /** Human text both students learn from. */
  human: readonly Uint32Array[];
  /** Prompts the teacher answers (the students are asked the same ones). */
  prompts: readonly Uint32Array[];
  /** Teacher tokens in each student's training data. */
  teacherTokens: number;
  /** Tokens of suspect output collected from each student. */
  suspectTokens: number;
  /** n-gram order of the students. Default 3. */
  studentOrder?: number;
  /** Tokens per answer. Default 256. */
  textTokens?: number;
  seed?: number;
}

/** What {@link runDistillation} produces: the provider's emitted outputs and each student's answers. */
export interface Distillation {
  /** Watermarked teacher outputs (the guilty student's training data; the provider's filter). */
  watermarkedOutputs: PromptedText[];
  /** Answers of the student trained on watermarked teacher outputs. */
  guilty: PromptedText[];
  /** Answers of the student trained on the same amount of unwatermarked teacher outputs. */
  clean: PromptedText[];
}

/**
 * A small distillation: two Kneser-Ney students learn from the same human text plus teacher
 * outputs, watermarked for one (guilty) and not for the other (clean); both then answer the
 * prompts. The radioactivity test on their answers should accuse only the guilty one.
 *
 * @example
 * ```ts
 * const d = await runDistillation({ teacher, watermark, human, prompts, teacherTokens: 200_000, suspectTokens: 100_000 });
 * ```
 */
export async function runDistillation(o: DistillationOptions): Promise<Distillation> {
  const rng = seededRandom(o.seed ?? 1);
  const order = o.studentOrder ?? 3;
  const answer = (model: LanguageModel, watermark: Watermark | null, total: number, offset: number) =>
    answerPrompts(model, o.prompts, total, rng, watermark, offset, o.textTokens ?? 256);
  const watermarkedOutputs = await answer(o.teacher, o.watermark, o.teacherTokens, 0);
  const plainOutputs = await answer(o.teacher, null, o.teacherTokens, 0);
  const student = (outputs: PromptedText[]) => trainStudent(o.human, outputs, order, o.teacher.vocabSize);
  // Students answer prompts from an offset, as a suspect would be asked new questions.
  const guilty = await answer(student(watermarkedOutputs), null, o.suspectTokens, 17);
  const clean = await answer(student(plainOutputs), null, o.suspectTokens, 17);
  return { watermarkedOutputs, guilty, clean };
}

async function answerPrompts(
  model: LanguageModel,
  prompts: readonly Uint32Array[],
  total: number,
  rng: RandomSource,
  watermark: Watermark | null,
  offset: number,
  textTokens: number,
): Promise<PromptedText[]> {
  const out: PromptedText[] = [];
  for (let n = 0, i = offset; n < total; i++) {
    const prompt = prompts[i % prompts.length]!;
    const ids: number[] = [];
    for await (const t of generateTokens(model, prompt, { maxTokens: Math.min(textTokens, total - n), watermark, rng })) ids.push(t);
    out.push({ prompt, text: Uint32Array.from(ids) });
    n += ids.length;
    if (ids.length === 0) break; // a model that stops at once would loop forever
  }
  return out;
}

function trainStudent(human: readonly Uint32Array[], outputs: PromptedText[], order: number, vocabSize: number): KneserNeyModel {
  return trainKneserNey([...human, ...outputs.map((d) => concatIds(d.prompt, d.text))], { order, vocabSize });
}
