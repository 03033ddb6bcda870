import { GreenList } from '../schemes/green-list.js';
import type { WatermarkKey } from '../key/key.js';
import { HashBatch } from '../detect/first-occurrences.js';
import { optionsObject, resolveVocabSize, toTokenIds } from './inputs.js';
import { RadiomarkError } from '../base/errors.js';
import { createGeneration } from './generation.js';
import { createDetection } from './detection.js';
import { accountSignerOf, createAccountTests, lazyAccountLayer } from './accounts.js';
import type { DetectInput, Watermark, WatermarkOptions } from './types.js';

export { DEFAULT_ALPHA } from './default-alpha.js';
export type {
  DetectInput,
  DetectOptions,
  SpanDetectionResult,
  Watermark,
  WatermarkAccounts,
  WatermarkDetection,
  WatermarkGeneration,
  WatermarkOptions,
} from './types.js';

/**
 * Binds a key to a watermark object: generation (bias, sample), detection and account tests
 * over one green list.
 *
 * @example
 * ```ts
 * const wm = createWatermark(generateKey());
 * const next = wm.sample(contextIds, model.nextLogits(contextIds), { temperature: 0.7 });
 * const verdict = wm.detect(generatedText);
 * console.log(verdict.log10PValue, verdict.watermarked);
 * ```
 */
export function createWatermark(key: WatermarkKey, options?: WatermarkOptions): Watermark {
  checkKey(key);
  const { params } = key;
  options = optionsObject(options, 'createWatermark options');
  const vocabSize = resolveVocabSize(params, options.vocabSize);
  const greenList = new GreenList(key);
  const layer = lazyAccountLayer(key, greenList);
  const signer = accountSignerOf(options, params, layer);
  const sortBuffers = new HashBatch();
  const toIds = (input: DetectInput, what: string) => toTokenIds(input, params.tokenizer, vocabSize, what);
  const watermark: Watermark = {
    keyId: key.id,
    params,
    vocabSize,
    account: options.account ?? null,
    ...createGeneration({ greenList, params, vocabSize, signer }),
    ...createDetection({ key, greenList, toIds, sortBuffers }),
    ...createAccountTests({ greenList, layer, toIds, sortBuffers }),
  };
  Object.defineProperties(watermark, {
    toJSON: { value: () => ({ keyId: key.id, params }) },
    toString: { value: () => `Watermark(${key})` },
    [Symbol.for('nodejs.util.inspect.custom')]: { value: () => `Watermark(${key})` },
  });
  return Object.freeze(watermark);
}

// Duck-typed, so that a key from another copy of radiomark (ESM and CJS builds) still works.
function checkKey(key: unknown): asserts key is WatermarkKey {
  const k = key as { id?: unknown; params?: unknown } | null;
  if (k === null || typeof k !== 'object' || typeof k.id !== 'string' || k.params === null || typeof k.params !== 'object') {
    throw new RadiomarkError('INVALID_KEY', 'createWatermark expects a WatermarkKey (from generateKey, importKey or loadKey)');
  }
}
