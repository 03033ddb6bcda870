// The browser-safe surface of radiomark: no `node:` imports anywhere below this file.
export { RadiomarkError, isRadiomarkError, type RadiomarkErrorCode } from './errors.js';
export { DEFAULT_PARAMS, MAX_WINDOW, resolveParams, type Scheme, type Seeding, type WatermarkParams } from './params.js';
export { generateKey, WatermarkKey, SECRET_BYTES } from './key.js';
export { exportKey, importKey, KEY_FILE_FORMAT, KEY_FILE_VERSION } from './key-file.js';
export {
  createWatermark,
  DEFAULT_ALPHA,
  type DetectInput,
  type DetectOptions,
  type SpanDetectionResult,
  type Watermark,
  type WatermarkOptions,
} from './watermark.js';
export {
  KGW_NULL_HYPOTHESIS,
  MIN_RELIABLE_SCORED,
  type DetectionResult,
  type TokenDetail,
} from './detect/detection-result.js';
export { ScoreTape, STATUS, type Dedup, type TokenStatus } from './detect/score-tape.js';
export { scanWindows, type SpanResult } from './detect/windowed.js';
export { sampleLogits, type SampleOptions } from './sampler.js';
export { seededRandom, randomSource, type RandomSource } from './rng.js';
export type { LanguageModel } from './language-model.js';
export { generateTokens, generateText, type GenerateOptions } from './generate.js';
export { getTokenizer, TOKENIZER_VOCAB_SIZES, type Tokenizer } from './tokenizer.js';
export * from './stats/index.js';
