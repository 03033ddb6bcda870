import { open } from 'node:fs/promises';
import { RadiomarkError } from '../../base/errors.js';
import { planContextWindows } from '../../suspects/context-windows.js';
import { allocateRows, type SuspectModel, type SuspectTokenizer } from '../../suspects/suspect-model.js';
import { describeFsError } from '../fs-errors.js';
import { firstLine } from './suspect-tokenizers.js';

/** Options of {@link loadGgufSuspect}. */
export interface GgufSuspectOptions {
  /** Tokens per forward pass. Default: the model's training context, at most 2048. */
  contextLength?: number;
  /** Tokens shared by consecutive windows of a long text. Default: a quarter of the context. */
  overlap?: number;
  /** CPU threads of llama.cpp; default 0 (node-llama-cpp's choice). */
  threads?: number;
  /** Called after each forward pass with the tokens it ran. */
  onForward?: (tokens: number) => void;
}

// The parts of node-llama-cpp 3 used here (it is an optional peer dependency, imported lazily).
type Token = number & { __token?: never };
interface LlamaModelLike {
  tokenize(text: string, specialTokens?: boolean): Token[];
  detokenize(tokens: readonly Token[], specialTokens?: boolean): string;
  isSpecialToken(token: Token): boolean;
  readonly trainContextSize: number;
  readonly fileInfo: { metadata: { tokenizer?: { ggml?: { tokens?: readonly string[] } } } };
  createContext(options: {
    contextSize: number;
    batchSize: number;
    sequences: number;
    threads: number;
    flashAttention: boolean;
    experimentalKvCacheKeyType: string;
    experimentalKvCacheValueType: string;
  }): Promise<LlamaContextLike>;
  dispose(): Promise<void>;
}
interface LlamaContextLike {
  getSequence(): LlamaSequenceLike;
  dispose(): Promise<void>;
}
type EvalItem = Token | [Token, { generateNext: { probabilities: true; options: object } }];
interface LlamaSequenceLike {
  clearHistory(): Promise<void>;
  controlledEvaluate(input: EvalItem[]): Promise<({ next: { probabilities?: Map<Token, number> } } | undefined)[]>;
}

/** Sampling options under which node-llama-cpp's probabilities are the plain softmax of the logits. */
const PLAIN_SOFTMAX = { temperature: 1, topK: 0, topP: 1, minP: 0 };

/**
 * A GGUF model read through node-llama-cpp 3 (an optional peer dependency) with its own
 * tokenizer (from the file). One `controlledEvaluate` per window of the context length
 * (windows overlap as in {@link planContextWindows}; the sequence is cleared between
 * windows), asking for the next-token probabilities at every requested position; the
 * probabilities are llama.cpp's softmax of the raw logits (temperature 1, no truncation),
 * with an F32 key-value cache.
 *
 * @example
 * ```ts
 * const suspect = await loadGgufSuspect('model.gguf');
 * ```
 */
export async function loadGgufSuspect(path: string, options: GgufSuspectOptions = {}): Promise<SuspectModel> {
  await checkGgufHeader(path);
  const llama = await sharedLlama();
  let model: LlamaModelLike;
  try {
    model = (await llama.loadModel({ modelPath: path })) as unknown as LlamaModelLike;
  } catch (cause) {
    throw new RadiomarkError('INPUT_FORMAT', `${path}: not a loadable GGUF model (${firstLine(cause)})`, { cause });
  }
  const vocabSize = model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? 0;
  if (vocabSize === 0) throw new RadiomarkError('INPUT_FORMAT', `${path}: the GGUF file has no tokenizer`);
  const contextLength = options.contextLength ?? Math.min(model.trainContextSize, 2048);
  // An F32 key-value cache (llama.cpp's default is F16): probabilities as exact as the weights allow.
  const context = await model.createContext({
    contextSize: contextLength,
    batchSize: contextLength,
    sequences: 1,
    threads: options.threads ?? 0,
    // Flash attention computes in F16 on CPU (log-probabilities off by ~1e-3): off for reading.
    flashAttention: false,
    experimentalKvCacheKeyType: 'F32',
    experimentalKvCacheValueType: 'F32',
  });
  const sequence = context.getSequence();
  const overlap = options.overlap ?? Math.floor(contextLength / 4);
  return {
    name: path,
    tokenizer: ggufTokenizer(model, vocabSize, path),
    vocabSize,
    contextLength,
    async predict(ids, positions, k) {
      const out = allocateRows(positions.length, k);
      for (const w of planContextWindows(positions, contextLength, overlap)) {
        const items: EvalItem[] = Array.from(ids.subarray(w.start, w.end), (t) => t as Token);
        for (const row of w.rows) items[row] = [items[row] as Token, { generateNext: { probabilities: true, options: PLAIN_SOFTMAX } }];
        await sequence.clearHistory();
        const results = await sequence.controlledEvaluate(items);
        w.requests.forEach((p, r) => {
          const probs = results[w.rows[r]!]?.next.probabilities;
          if (!probs) throw new RadiomarkError('MODEL', `${path}: node-llama-cpp returned no probabilities`);
          let n = 0;
          for (const [token, prob] of probs) {
            if (n === k) break;
            out.tokens[p * k + n] = token;
            out.probs[p * k + n++] = prob;
          }
          out.counts[p] = n;
        });
        options.onForward?.(w.end - w.start);
      }
      return out;
    },
    async close() {
      await context.dispose();
      await model.dispose();
    },
  };
}

// node-llama-cpp reads a file with a bad header as GGUF v3 and may hang on it: check first.
async function checkGgufHeader(path: string): Promise<void> {
  let header: Buffer;
  try {
    const file = await open(path);
    try {
      header = Buffer.alloc(24);
      const { bytesRead } = await file.read(header, 0, 24, 0);
      header = header.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (e) {
    throw new RadiomarkError('INPUT_FORMAT', `cannot read model ${path}: ${describeFsError(e)}`);
  }
  const ok =
    header.length === 24 &&
    header.toString('latin1', 0, 4) === 'GGUF' &&
    [2, 3].includes(header.readUInt32LE(4)) &&
    header.readBigUInt64LE(8) < 1n << 20n &&
    header.readBigUInt64LE(16) < 1n << 20n;
  if (!ok) throw new RadiomarkError('INPUT_FORMAT', `${path}: not a GGUF file (version 2 or 3)`);
}

function ggufTokenizer(model: LlamaModelLike, vocabSize: number, name: string): SuspectTokenizer {
  // A token's text after other text (decoders may drop a leading space at the start).
  const anchor = model.tokenize('a', false);
  const anchorText = model.detokenize(anchor, false);
  return {
    name,
    vocabSize,
    encode: (text) => Uint32Array.from(model.tokenize(text, false)),
    tokenText(id) {
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize || model.isSpecialToken(id as Token)) return undefined;
      const text = model.detokenize([...anchor, id as Token], false);
      if (!text.startsWith(anchorText)) return undefined;
      const own = text.slice(anchorText.length);
      return own === '' || own.includes('\uFFFD') ? undefined : own;
    },
  };
}

type Llama = { loadModel(options: { modelPath: string }): Promise<unknown> };
let llamaPromise: Promise<Llama> | undefined;

// One llama.cpp binding per process (loading it takes seconds); CPU only, prebuilt binaries only.
function sharedLlama(): Promise<Llama> {
  llamaPromise ??= importLlama().then(({ getLlama }) => getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: 'error' }));
  return llamaPromise;
}

async function importLlama(): Promise<{ getLlama: (options: object) => Promise<Llama> }> {
  try {
    return (await import('node-llama-cpp')) as unknown as { getLlama: (options: object) => Promise<Llama> };
  } catch (cause) {
    throw new RadiomarkError(
      'UNSUPPORTED',
      'reading a GGUF model needs the optional peer dependency node-llama-cpp: npm install node-llama-cpp',
      {
        cause,
      },
    );
  }
}
