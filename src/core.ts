// The browser-safe root API of radiomark (`radiomark/core`, and `radiomark` in browsers): what
// providers and investigators use. No `node:` imports anywhere below this file. Everything
// else is behind a subpath: `radiomark/stats`, `radiomark/model`, `radiomark/ledger`,
// `radiomark/prf` (test/index.test.ts keeps the root at 60 names or fewer).

// Errors.
export { RadiomarkError, isRadiomarkError, type RadiomarkErrorCode } from './base/errors.js';
// Keys.
export { DEFAULT_PARAMS, resolveParams, type WatermarkParams } from './key/params.js';
export { generateKey, WatermarkKey } from './key/key.js';
export { exportKey, importKey } from './key/key-file.js';
export { getTokenizer, type Tokenizer } from './key/tokenizer.js';
// Watermarking and detection.
export {
  createWatermark,
  DEFAULT_ALPHA,
  type DetectInput,
  type DetectOptions,
  type SpanDetectionResult,
  type Watermark,
  type WatermarkOptions,
} from './watermark/watermark.js';
export type { DetectionResult } from './detect/detection-result.js';
export { generateTokens, generateText, type GenerateOptions } from './watermark/generate.js';
export type { SampleOptions } from './schemes/sampler.js';
export type { LanguageModel } from './model/language-model.js';
// Accounts.
export type { AccountDecoding, DecodeAccountOptions } from './accounts/decode-account.js';
export type { AttributeOptions, AttributionReport } from './accounts/attribute-accounts.js';
// Radioactivity.
export { ClosedModeTest, type ClosedModeOptions } from './radioactivity/closed-mode.js';
export { ReadingModeTest, type ReadingModeOptions, type ReadingModeReport } from './radioactivity/reading-mode.js';
export { topKFromLogits, type TopKPredictor } from './radioactivity/top-k.js';
export { kneserNeyTopK } from './radioactivity/kneser-ney-top-k.js';
export { referenceFromModel, type ReferenceModel } from './radioactivity/reference-model.js';
export { WindowSet, type WindowFilter } from './windows/window-filter.js';
export { RADIOACTIVITY_NULL_HYPOTHESIS, type RadioactivityReport, type KeyTestResult } from './radioactivity/report.js';
// Ledgers.
export { AccountLedger } from './ledger/account-ledger.js';
export { EmissionLedger } from './ledger/emission-ledger.js';
// The main statistics (the rest: `radiomark/stats`).
export { log10BinomialTail, log10GammaTail, holmLog10, ksUniformTest } from './stats/index.js';
