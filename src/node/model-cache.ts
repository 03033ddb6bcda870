import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { RadiomarkError, isRadiomarkError } from '../base/errors.js';
import type { KneserNeyModel } from '../model/kneser-ney-model.js';
import { deserializeModel, serializeModel, type ModelFileInfo } from '../model/model-format.js';
import { KNESER_NEY_TRAINER_VERSION, trainKneserNey } from '../model/train-kneser-ney.js';
import { TOKENIZER_VOCAB_SIZES } from '../key/tokenizer.js';
import { writeFileAtomic } from './atomic-write.js';
import { CORPUS_NAMES, corpusConfigHash, corpusTokenStreams, type CorpusName } from './corpora.js';

/**
 * Options of {@link loadOrTrainReferenceModel}.
 *
 * @example
 * ```ts
 * const options: ReferenceModelOptions = { order: 5, cacheDir: '/var/cache/radiomark' };
 * ```
 */
export interface ReferenceModelOptions {
  /** Highest n-gram order, 1..5 (default 4). */
  readonly order?: number;
  /** Cache directory (default {@link defaultCacheDir}). */
  readonly cacheDir?: string;
  /** Corpora to train on (default all three). */
  readonly corpora?: readonly CorpusName[];
  /** Tiktoken encoding (default `o200k_base`). */
  readonly tokenizer?: string;
  /** Train again even if a valid cache exists (the cache is then replaced). */
  readonly rebuild?: boolean;
  /** Called at each step, e.g. `(e) => console.error(e.message)`. */
  readonly onProgress?: (event: ReferenceModelProgress) => void;
}

/**
 * What {@link loadOrTrainReferenceModel} is doing; `message` is one human-readable line.
 *
 * @example
 * ```ts
 * const onProgress = (e: ReferenceModelProgress) => { if (e.stage !== 'cache-hit') console.error(e.message); };
 * ```
 */
export interface ReferenceModelProgress {
  readonly stage: 'cache-hit' | 'cache-miss' | 'cache-invalid' | 'tokenizing' | 'training' | 'cache-written' | 'cache-write-failed';
  readonly message: string;
  /** The cache file concerned. */
  readonly path: string;
}

/**
 * The directory radiomark caches models in: `$XDG_CACHE_HOME/radiomark` when that variable
 * holds an absolute path, else `~/.cache/radiomark`.
 *
 * @example
 * ```ts
 * defaultCacheDir(); // '/home/ada/.cache/radiomark'
 * ```
 */
export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'radiomark');
}

/**
 * Path of the cache file for these options (named after tokenizer, order and corpus hash).
 *
 * @example
 * ```ts
 * referenceModelCachePath({ order: 4 }); // '~/.cache/radiomark/kn-o200k_base-order4-270287f6e4af7775.rmkn'
 * ```
 */
export function referenceModelCachePath(options: ReferenceModelOptions = {}): string {
  const { order, tokenizer, corpusHash } = resolveParams(options);
  return join(options.cacheDir ?? defaultCacheDir(), `kn-${tokenizer}-order${order}-${corpusHash}.rmkn`);
}

/**
 * The embedded reference language model: loaded from the on-disk cache when a valid one
 * exists, else trained on the corpora's training split and cached (atomically: temp file +
 * rename). A damaged (bad magic, truncated, checksum mismatch) or stale (other format
 * version, training algorithm, order, tokenizer or corpus) cache file is never used: it is
 * rebuilt. Failing to write the cache is reported through `onProgress` and does not fail
 * the call. Needs the corpus packages (`CORPUS_MISSING` otherwise), even with a cache,
 * because their versions identify the training text.
 *
 * @example
 * ```ts
 * const model = await loadOrTrainReferenceModel({ order: 4, onProgress: (e) => console.error(e.message) });
 * const logits = model.nextLogits(getTokenizer('o200k_base').encode('We the people'));
 * ```
 */
export async function loadOrTrainReferenceModel(options: ReferenceModelOptions = {}): Promise<KneserNeyModel> {
  const params = resolveParams(options);
  const path = referenceModelCachePath(options);
  const report = (stage: ReferenceModelProgress['stage'], message: string): void => options.onProgress?.({ stage, message, path });
  if (!options.rebuild) {
    const cached = await readCachedModel(path, params);
    if (cached.model) {
      report('cache-hit', `loaded the reference model from ${path}`);
      return cached.model;
    }
    report(cached.missing ? 'cache-miss' : 'cache-invalid', cached.reason);
  }
  report('tokenizing', `tokenizing the training corpora (${params.corpora.join(', ')}) with ${params.tokenizer}`);
  const streams = corpusTokenStreams({ corpora: params.corpora, tokenizer: params.tokenizer });
  const tokens = streams.reduce((sum, s) => sum + s.length, 0);
  report('training', `training an order-${params.order} Kneser-Ney model on ${tokens.toLocaleString('en-US')} tokens`);
  const model = trainKneserNey(streams, { order: params.order, vocabSize: params.vocabSize });
  try {
    const bytes = serializeModel(model, {
      tokenizer: params.tokenizer,
      corpusHash: params.corpusHash,
      trainerVersion: KNESER_NEY_TRAINER_VERSION,
    });
    await writeAtomically(path, bytes);
    report('cache-written', `cached the reference model (${(bytes.length / 1e6).toFixed(1)} MB) at ${path}`);
  } catch (error) {
    report('cache-write-failed', `could not write the model cache ${path}: ${(error as Error).message}`);
  }
  return model;
}

interface ResolvedParams {
  readonly order: number;
  readonly tokenizer: string;
  readonly vocabSize: number;
  readonly corpora: readonly CorpusName[];
  readonly corpusHash: string;
}

function resolveParams(options: ReferenceModelOptions): ResolvedParams {
  const order = options.order ?? 4;
  if (!Number.isInteger(order) || order < 1 || order > 5) {
    throw new RadiomarkError('INVALID_ARGUMENT', `order must be an integer in 1..5, got ${order}`);
  }
  const tokenizer = options.tokenizer ?? 'o200k_base';
  const vocabSize = TOKENIZER_VOCAB_SIZES[tokenizer];
  if (vocabSize === undefined) {
    throw new RadiomarkError('TOKENIZER', `unknown tokenizer "${tokenizer}"`);
  }
  const corpora = options.corpora ?? CORPUS_NAMES;
  if (corpora.length === 0) throw new RadiomarkError('INVALID_ARGUMENT', 'the reference model needs at least one corpus');
  return { order, tokenizer, vocabSize, corpora, corpusHash: corpusConfigHash({ corpora }) };
}

type CacheRead = { model: KneserNeyModel } | { model?: undefined; missing: boolean; reason: string };

async function readCachedModel(path: string, params: ResolvedParams): Promise<CacheRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { missing, reason: missing ? `no cached model at ${path}` : `cannot read ${path}: ${(error as Error).message}` };
  }
  try {
    const { model, info } = deserializeModel(bytes);
    const mismatch = staleField(info, params);
    if (!mismatch) return { model };
    return { missing: false, reason: `cached model ${path} is stale (${mismatch} differs); rebuilding` };
  } catch (error) {
    if (!isRadiomarkError(error)) throw error;
    return { missing: false, reason: `cached model ${path} is unusable (${error.message}); rebuilding` };
  }
}

function staleField(info: ModelFileInfo, params: ResolvedParams): string | undefined {
  if (info.order !== params.order) return 'order';
  if (info.vocabSize !== params.vocabSize) return 'vocabulary size';
  if (info.tokenizer !== params.tokenizer) return 'tokenizer';
  if (info.corpusHash !== params.corpusHash) return 'corpus';
  if (info.trainerVersion !== KNESER_NEY_TRAINER_VERSION) return 'training algorithm version';
  return undefined;
}

/** Writes through {@link writeFileAtomic}, so readers never see half a file. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true }).catch(() => undefined);
  await writeFileAtomic(path, bytes, { label: 'model cache', code: 'CACHE' });
}
