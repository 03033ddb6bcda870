// A cl100k ONNX student read from TypeScript (onnxruntime-node): batched last-position logits,
// sampling, and next-token distributions mapped onto the teacher's tokenizer (o200k) for the
// open-model test. Used until the library's ONNX suspect reader (issue #14) is on main.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { RandomSource } from '../../src/base/rng.js';
import { getTokenizer } from '../../src/key/tokenizer.js';
import { selectTopK, type TopKPredictor } from '../../src/radioactivity/top-k.js';
import { STUDENT_TOKENIZER, TEACHER_TOKENIZER } from './prepare-data.js';

const BATCH = 32;

/** An exported student (`export_onnx.py --last-only`): logits [batch, 1, vocab]. */
export class OnnxStudent {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly vocabSize: number,
    readonly context: number,
    readonly eot: number,
  ) {}

  static async load(path: string): Promise<OnnxStudent> {
    const side = JSON.parse(readFileSync(path.replace(/\.onnx$/, '.json'), 'utf8')) as {
      vocabSize: number;
      contextLength: number;
      eotId: number;
      lastPositionOnly?: boolean;
    };
    if (!side.lastPositionOnly) throw new Error(`${path}: export it with --last-only`);
    const session = await ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    return new OnnxStudent(session, side.vocabSize, side.contextLength, side.eotId);
  }

  /** Next-token logits after each row (its last `context` tokens), left-padded into batches. */
  async lastLogits(rows: readonly ArrayLike<number>[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let b = 0; b < rows.length; b += BATCH) {
      const batch = rows.slice(b, b + BATCH).map((r) => Array.from(r).slice(-this.context));
      const t = Math.max(...batch.map((r) => r.length));
      const ids = new BigInt64Array(batch.length * t);
      const mask = new BigInt64Array(batch.length * t);
      batch.forEach((r, i) => {
        for (let j = 0; j < r.length; j++) {
          ids[i * t + t - r.length + j] = BigInt(r[j]!);
          mask[i * t + t - r.length + j] = 1n;
        }
      });
      const res = await this.session.run({
        input_ids: new ort.Tensor('int64', ids, [batch.length, t]),
        attention_mask: new ort.Tensor('int64', mask, [batch.length, t]),
      });
      const data = res.logits!.data as Float32Array;
      for (let i = 0; i < batch.length; i++) out.push(data.slice(i * this.vocabSize, (i + 1) * this.vocabSize));
    }
    return out;
  }

  /** Completions of `prompts` (cl100k ids), `tokens` each, sampled at temperature 1; stops at EOT. */
  async complete(prompts: readonly Uint32Array[], tokens: number, rng: RandomSource): Promise<Uint32Array[]> {
    const seqs = prompts.map((p) => [this.eot, ...p]);
    const outs: number[][] = prompts.map(() => []);
    const live = new Set(prompts.map((_, i) => i));
    for (let step = 0; step < tokens && live.size > 0; step++) {
      const idx = [...live];
      const logits = await this.lastLogits(idx.map((i) => seqs[i]!));
      idx.forEach((i, j) => {
        const t = sample(logits[j]!, rng);
        if (t === this.eot) live.delete(i);
        else {
          seqs[i]!.push(t);
          outs[i]!.push(t);
        }
      });
    }
    return outs.map((o) => Uint32Array.from(o));
  }
}

function sample(logits: Float32Array, rng: RandomSource): number {
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) if (logits[v]! > max) max = logits[v]!;
  let z = 0;
  for (let v = 0; v < logits.length; v++) z += Math.exp(logits[v]! - max);
  let u = rng() * z;
  for (let v = 0; v < logits.length; v++) {
    u -= Math.exp(logits[v]! - max);
    if (u <= 0) return v;
  }
  return logits.length - 1;
}

/**
 * Top-k next-token distributions of the student over the teacher's tokenizer, for every
 * position of one o200k text, computed ahead (onnxruntime is asynchronous, the reading test
 * is not). At position i: the o200k prefix is decoded, re-encoded with cl100k (after EOT),
 * the student's top `wide` cl100k candidates are each mapped to the first o200k token of their
 * text, and probabilities of candidates mapping to the same o200k token are added. The map
 * does not depend on any key, so the test's null hypothesis (a suspect independent of the key)
 * is untouched.
 */
export class CrossTokenizerTopK implements TopKPredictor {
  readonly vocabSize = getTokenizer(TEACHER_TOKENIZER).vocabSize;
  private table: { tokens: Uint32Array; probs: Float64Array; n: number }[] = [];
  private readonly firstTeacherId = new Map<number, number>();

  constructor(
    private readonly student: OnnxStudent,
    private readonly k = 32,
    private readonly wide = 64,
  ) {}

  /** Computes the distributions at positions `from`..len-1 of `text`. */
  async prepare(text: Uint32Array, from: number): Promise<void> {
    const t = getTokenizer(TEACHER_TOKENIZER);
    const s = getTokenizer(STUDENT_TOKENIZER);
    const rows: Uint32Array[] = [];
    for (let i = from; i < text.length; i++) rows.push(Uint32Array.of(this.student.eot, ...s.encode(t.decode(text.subarray(0, i)))));
    const logits = await this.student.lastLogits(rows);
    this.table = new Array(from);
    const top = new Uint32Array(this.wide);
    for (const l of logits) this.table.push(this.map(l, top));
  }

  topK(context: ArrayLike<number>, k: number, tokens: Uint32Array, probs: Float64Array): number {
    const row = this.table[context.length];
    if (!row) throw new Error(`position ${context.length} was not prepared`);
    const n = Math.min(k, row.n);
    tokens.set(row.tokens.subarray(0, n));
    probs.set(row.probs.subarray(0, n));
    return n;
  }

  private map(logits: Float32Array, top: Uint32Array) {
    let max = -Infinity;
    for (let v = 0; v < logits.length; v++) if (logits[v]! > max) max = logits[v]!;
    let z = 0;
    for (let v = 0; v < logits.length; v++) z += Math.exp(logits[v]! - max);
    const n = selectTopK(logits, this.wide, top);
    const mass = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const id = this.teacherIdOf(top[i]!);
      if (id >= 0) mass.set(id, (mass.get(id) ?? 0) + Math.exp(logits[top[i]!]! - max) / z);
    }
    const sorted = [...mass].sort((a, b) => b[1] - a[1]).slice(0, this.k);
    return { tokens: Uint32Array.from(sorted.map((e) => e[0])), probs: Float64Array.from(sorted.map((e) => e[1])), n: sorted.length };
  }

  private teacherIdOf(studentId: number): number {
    let id = this.firstTeacherId.get(studentId);
    if (id === undefined) {
      const text = getTokenizer(STUDENT_TOKENIZER).decode([studentId]);
      // Special ids and partial UTF-8 sequences have no teacher token of their own.
      id = text.length === 0 || text.includes('\ufffd') ? -1 : (getTokenizer(TEACHER_TOKENIZER).encode(text)[0] ?? -1);
      this.firstTeacherId.set(studentId, id);
    }
    return id;
  }
}
