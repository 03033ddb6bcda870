import { access } from 'node:fs/promises';
import { RadiomarkError } from '../../base/errors.js';
import { logitsSuspect, type ForwardPass } from '../../suspects/logits-suspect.js';
import type { SuspectModel, SuspectTokenizer } from '../../suspects/suspect-model.js';
import { describeFsError } from '../fs-errors.js';
import { checkVocab } from './check-vocab.js';
import { firstLine } from './suspect-tokenizers.js';

/** Options of {@link loadOnnxSuspect}. */
export interface OnnxSuspectOptions {
  /** The model's tokenizer. */
  tokenizer: SuspectTokenizer;
  /** Longest sequence the model accepts; default: the fixed length of its `input_ids`, if it has one. */
  contextLength?: number;
  /** Tokens shared by consecutive windows of a long text. Default: a quarter of the context. */
  overlap?: number;
  /** Windows per forward pass. Default 4. */
  batchSize?: number;
  /** onnxruntime intra-op threads. Default 2. */
  threads?: number;
  /** Called after each forward pass with the tokens it ran. */
  onForward?: (tokens: number) => void;
}

interface Ort {
  InferenceSession: { create(path: string, options: object): Promise<OrtSession> };
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => unknown;
}

interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata?: readonly { name: string; isTensor: boolean; shape?: readonly (number | string)[] }[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { type: string; dims: readonly number[]; data: unknown }>>;
  release(): Promise<void>;
}

const KNOWN_INPUTS = new Set(['input_ids', 'attention_mask', 'position_ids']);

/**
 * A causal LM exported to ONNX, read through `onnxruntime-node` (an optional peer
 * dependency): input `input_ids` int64 `[batch, seq]` (plus `attention_mask` and
 * `position_ids` when the model declares them), output `logits` float32
 * `[batch, seq, vocab]`. Models that also ask for past key values (decoder-with-past
 * exports) are refused: export the plain decoder. One probe pass checks the vocabulary
 * against the tokenizer.
 *
 * @example
 * ```ts
 * const suspect = await loadOnnxSuspect('student.onnx', { tokenizer: await loadSuspectTokenizer('cl100k_base'), contextLength: 128 });
 * ```
 */
export async function loadOnnxSuspect(path: string, options: OnnxSuspectOptions): Promise<SuspectModel> {
  const model = await openOnnxForward(path, options.threads);
  const contextLength = options.contextLength ?? model.fixedContextLength;
  try {
    if (contextLength === undefined) {
      throw new RadiomarkError('INVALID_ARGUMENT', `${path}: the model does not say its context length; give it (--model-context N)`);
    }
    checkVocab(path, model.vocabSize, options.tokenizer);
  } catch (e) {
    await model.close();
    throw e;
  }
  return logitsSuspect({
    name: path,
    tokenizer: options.tokenizer,
    vocabSize: model.vocabSize,
    contextLength,
    overlap: options.overlap,
    batchSize: options.batchSize,
    onForward: options.onForward,
    forward: model.forward,
    close: model.close,
  });
}

/** A raw ONNX causal LM: batched forward passes (see {@link ForwardPass}). */
export interface OnnxForward {
  forward: ForwardPass;
  /** Logits per position (found by one probe pass). */
  vocabSize: number;
  /** Inputs the model declares. */
  inputNames: readonly string[];
  /** The sequence length of `input_ids` when the export fixed it. */
  fixedContextLength: number | undefined;
  close(): Promise<void>;
}

/**
 * Opens an ONNX causal LM with `onnxruntime-node` and checks its inputs and output (see
 * {@link loadOnnxSuspect}); the forward passes give raw logits.
 *
 * @example
 * ```ts
 * const { forward, vocabSize } = await openOnnxForward('student.onnx');
 * const logits = await forward([Uint32Array.of(1, 2, 3)], 3); // 3 x vocabSize
 * ```
 */
export async function openOnnxForward(path: string, threads = 2): Promise<OnnxForward> {
  const ort = await importOrt();
  try {
    await access(path);
  } catch (e) {
    throw new RadiomarkError('INPUT_FORMAT', `cannot read model ${path}: ${describeFsError(e)}`);
  }
  let session: OrtSession;
  try {
    session = await ort.InferenceSession.create(path, { intraOpNumThreads: threads, interOpNumThreads: 1 });
  } catch (cause) {
    throw new RadiomarkError('INPUT_FORMAT', `${path}: not a loadable ONNX model (${firstLine(cause)})`, { cause });
  }
  const unknown = session.inputNames.filter((n) => !KNOWN_INPUTS.has(n));
  if (!session.inputNames.includes('input_ids') || unknown.length > 0) {
    await session.release();
    throw new RadiomarkError(
      'UNSUPPORTED',
      `${path}: expected inputs input_ids [, attention_mask, position_ids], got ${session.inputNames.join(', ')} (export the decoder without past key values)`,
    );
  }
  if (!session.outputNames.includes('logits')) {
    await session.release();
    throw new RadiomarkError('UNSUPPORTED', `${path}: expected an output named logits, got ${session.outputNames.join(', ')}`);
  }
  const run = async (batch: readonly Uint32Array[], length: number): Promise<{ data: Float32Array; vocab: number }> => {
    const feeds = buildFeeds(ort, session.inputNames, batch, length);
    let out;
    try {
      out = (await session.run(feeds)).logits!;
    } catch (cause) {
      throw new RadiomarkError('MODEL', `${path}: forward pass failed (${firstLine(cause)})`, { cause });
    }
    if (out.type !== 'float32' || out.dims.length !== 3 || out.dims[0] !== batch.length || out.dims[1] !== length) {
      throw new RadiomarkError(
        'UNSUPPORTED',
        `${path}: logits must be float32 [batch, seq, vocab], got ${out.type} [${out.dims.join(', ')}]`,
      );
    }
    return { data: out.data as Float32Array, vocab: out.dims[2]! };
  };
  let vocabSize: number;
  try {
    vocabSize = (await run([Uint32Array.of(0)], 1)).vocab;
  } catch (e) {
    await session.release();
    throw e;
  }
  return {
    forward: async (batch, length) => (await run(batch, length)).data,
    vocabSize,
    inputNames: session.inputNames,
    fixedContextLength: fixedSequenceLength(session),
    close: () => session.release(),
  };
}

function buildFeeds(ort: Ort, inputs: readonly string[], batch: readonly Uint32Array[], length: number): Record<string, unknown> {
  const ids = new BigInt64Array(batch.length * length);
  const mask = new BigInt64Array(batch.length * length);
  const positions = new BigInt64Array(batch.length * length);
  batch.forEach((seq, b) => {
    for (let j = 0; j < length; j++) {
      // Right padding: a causal model's rows before the padding never see it.
      ids[b * length + j] = BigInt(j < seq.length ? seq[j]! : 0);
      mask[b * length + j] = j < seq.length ? 1n : 0n;
      positions[b * length + j] = BigInt(j);
    }
  });
  const dims = [batch.length, length];
  const feeds: Record<string, unknown> = { input_ids: new ort.Tensor('int64', ids, dims) };
  if (inputs.includes('attention_mask')) feeds.attention_mask = new ort.Tensor('int64', mask, dims);
  if (inputs.includes('position_ids')) feeds.position_ids = new ort.Tensor('int64', positions, dims);
  return feeds;
}

function fixedSequenceLength(session: OrtSession): number | undefined {
  const meta = session.inputMetadata?.find((m) => m.name === 'input_ids');
  const seq = meta?.shape?.[1];
  return typeof seq === 'number' && seq > 0 ? seq : undefined;
}

async function importOrt(): Promise<Ort> {
  try {
    const mod = (await import('onnxruntime-node')) as unknown as Ort & { default?: Ort };
    return mod.InferenceSession ? mod : mod.default!;
  } catch (cause) {
    throw new RadiomarkError(
      'UNSUPPORTED',
      'reading an ONNX model needs the optional peer dependency onnxruntime-node: npm install onnxruntime-node',
      {
        cause,
      },
    );
  }
}
