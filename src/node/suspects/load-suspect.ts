import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RadiomarkError } from '../../base/errors.js';
import { getTokenizer } from '../../key/tokenizer.js';
import { deserializeModel } from '../../model/model-format.js';
import { kneserNeySuspect } from '../../suspects/kneser-ney-suspect.js';
import type { SuspectModel } from '../../suspects/suspect-model.js';
import { describeFsError } from '../fs-errors.js';
import { loadOrTrainReferenceModel, type ReferenceModelOptions } from '../model-cache.js';
import { loadGgufSuspect } from './gguf-suspect.js';
import { loadOnnxSuspect } from './onnx-suspect.js';
import { loadSuspectTokenizer, readJson } from './suspect-tokenizers.js';

/** Options of {@link loadSuspectModel}. */
export interface LoadSuspectOptions {
  /** The provider's tokenizer (the key's): the tokenizer of `reference` and `.rmkn` models. */
  providerTokenizer: string;
  /** The suspect's tokenizer (a tiktoken name or a tokenizer.json path), for `.onnx` files. */
  modelTokenizer?: string;
  /** Context length of an ONNX model that does not state it. */
  contextLength?: number;
  /** The embedded reference model's order and cache (for `reference`). */
  reference?: ReferenceModelOptions;
  /** Called after each forward pass with the tokens it ran (ONNX and GGUF). */
  onForward?: (tokens: number) => void;
}

/**
 * Opens a suspect model: `reference` (the embedded Kneser-Ney model), a `.rmkn` file, an
 * `.onnx` file (tokenizer from `modelTokenizer`, or from a radiomark student sidecar
 * `NAME.json` beside it), a model folder in the transformers.js layout (`config.json`,
 * `tokenizer.json`, `onnx/model.onnx`) or a `.gguf` file (node-llama-cpp, its own
 * tokenizer). Missing, unreadable or corrupt models, vocabularies that do not match the
 * tokenizer and missing tokenizers are `RadiomarkError`s with one-line messages.
 *
 * @example
 * ```ts
 * const suspect = await loadSuspectModel('student.onnx', { providerTokenizer: 'o200k_base', modelTokenizer: 'cl100k_base' });
 * ```
 */
export async function loadSuspectModel(spec: string, options: LoadSuspectOptions): Promise<SuspectModel> {
  const provider = getTokenizer(options.providerTokenizer);
  if (spec === 'reference') return kneserNeySuspect(await loadOrTrainReferenceModel(options.reference), provider, 'reference');
  const info = await stat(spec).catch((e: unknown) => {
    throw new RadiomarkError('INPUT_FORMAT', `cannot read model ${spec}: ${describeFsError(e)}`);
  });
  if (info.isDirectory()) return loadModelFolder(spec, options);
  if (spec.endsWith('.gguf')) return loadGgufSuspect(spec, { onForward: options.onForward });
  if (spec.endsWith('.onnx')) {
    const sidecar = await studentSidecar(spec);
    const tokenizerSpec = options.modelTokenizer ?? sidecar?.tokenizer;
    if (tokenizerSpec === undefined) {
      throw new RadiomarkError(
        'INVALID_ARGUMENT',
        `${spec}: give the model's tokenizer with --model-tokenizer (a tiktoken name or a tokenizer.json)`,
      );
    }
    return loadOnnxSuspect(spec, {
      tokenizer: await loadSuspectTokenizer(tokenizerSpec),
      contextLength: options.contextLength ?? sidecar?.contextLength,
      onForward: options.onForward,
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(spec);
  } catch (e) {
    throw new RadiomarkError('INPUT_FORMAT', `cannot read model ${spec}: ${describeFsError(e)}`);
  }
  const { model, info: modelInfo } = deserializeModel(bytes);
  // An n-gram model over another tiktoken encoding is read through the cross-tokenizer alignment.
  return kneserNeySuspect(model, getTokenizer(modelInfo.tokenizer), spec);
}

async function loadModelFolder(dir: string, options: LoadSuspectOptions): Promise<SuspectModel> {
  const config = (await readJson(join(dir, 'config.json'), 'model config')) as Record<string, unknown>;
  const context = [config.max_position_embeddings, config.n_positions, config.n_ctx, config.max_seq_len].find(
    (x): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0,
  );
  const tokenizer = await loadSuspectTokenizer(options.modelTokenizer ?? join(dir, 'tokenizer.json'));
  return loadOnnxSuspect(join(dir, 'onnx', 'model.onnx'), {
    tokenizer,
    contextLength: options.contextLength ?? context,
    onForward: options.onForward,
  });
}

/** The tokenizer and context length of a radiomark student (benchmarks/students) from its sidecar. */
async function studentSidecar(onnxPath: string): Promise<{ tokenizer?: string; contextLength?: number } | undefined> {
  const path = join(dirname(onnxPath), basename(onnxPath, '.onnx') + '.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  const s = json as { format?: unknown; tokenizer?: unknown; contextLength?: unknown };
  if (s.format !== 'radiomark.student') return undefined;
  return {
    tokenizer: typeof s.tokenizer === 'string' ? s.tokenizer : undefined,
    contextLength: typeof s.contextLength === 'number' ? s.contextLength : undefined,
  };
}
