// The browser-safe surface of radiomark: no `node:` imports anywhere below this file.
export { RadiomarkError, isRadiomarkError, type RadiomarkErrorCode } from './base/errors.js';
export { DEFAULT_PARAMS, MAX_WINDOW, resolveParams, type Scheme, type Seeding, type WatermarkParams } from './key/params.js';
export { generateKey, WatermarkKey, SECRET_BYTES } from './key/key.js';
export { exportKey, importKey, KEY_FILE_FORMAT, KEY_FILE_VERSION } from './key/key-file.js';
export {
  createWatermark,
  DEFAULT_ALPHA,
  type DetectInput,
  type DetectOptions,
  type SpanDetectionResult,
  type Watermark,
  type WatermarkOptions,
} from './watermark/watermark.js';
export { MIN_RELIABLE_SCORED, type DetectionResult, type TokenDetail } from './detect/detection-result.js';
export { ScoreTape, STATUS, type Dedup, type TokenStatus } from './detect/score-tape.js';
export { scanWindows, type SpanResult } from './detect/windowed.js';
export { sampleLogits, type SampleOptions } from './schemes/sampler.js';
export { seededRandom, randomSource, type RandomSource } from './base/rng.js';
export type { LanguageModel } from './model/language-model.js';
export { generateTokens, generateText, type GenerateOptions } from './watermark/generate.js';
export { getTokenizer, TOKENIZER_VOCAB_SIZES, type Tokenizer } from './key/tokenizer.js';
export * from './stats/index.js';
export { KneserNeyModel } from './model/kneser-ney-model.js';
export { trainKneserNey, MAX_KNESER_NEY_ORDER, type KneserNeyOptions } from './model/train-kneser-ney.js';
export { perplexity, type TokenScorer } from './model/perplexity.js';
export {
  serializeModel,
  deserializeModel,
  readModelInfo,
  MODEL_FORMAT_VERSION,
  type ModelProvenance,
  type ModelFileInfo,
} from './model/model-format.js';
export { ClosedModeTest, type ClosedModeOptions } from './radioactivity/closed-mode.js';
export {
  ReadingModeTest,
  type ReadingModeOptions,
  type ReadingModeReport,
  type BatchPredictor,
  type TopKRows,
} from './radioactivity/reading-mode.js';
export type { SuspectModel, SuspectTokenizer } from './suspects/suspect-model.js';
export { alignedPredictor, type AlignmentStats } from './suspects/aligned-predictor.js';
export { kneserNeySuspect } from './suspects/kneser-ney-suspect.js';
export { logitsSuspect, type ForwardPass, type LogitsSuspectOptions } from './suspects/logits-suspect.js';
export { topKFromLogits, type TopKPredictor } from './radioactivity/top-k.js';
export { kneserNeyTopK } from './radioactivity/kneser-ney-top-k.js';
export { referenceFromModel, type ReferenceModel } from './radioactivity/reference-model.js';
export { ExcessMass } from './radioactivity/excess-mass.js';
export { WindowSet, type WindowFilter } from './windows/window-filter.js';
export {
  RADIOACTIVITY_NULL_HYPOTHESIS,
  type RadioactivityReport,
  type KeyTestResult,
  type ControlSummary,
} from './radioactivity/report.js';
export { randomizedBinomialPValue } from './stats/randomized-p-value.js';
export { mixtureLog10PValue, LAMBDA_GRID } from './stats/chernoff-mixture.js';
export { MAX_ACCOUNT_ID, checkAccountId } from './accounts/account-code.js';
export { MAX_CANDIDATES } from './accounts/candidates.js';
export {
  DEFAULT_DECODE_BUDGET,
  DECODE_NULL_HYPOTHESIS,
  type AccountDecoding,
  type DecodeAccountOptions,
} from './accounts/decode-account.js';
export {
  ACCOUNT_NULL_HYPOTHESIS,
  LEDGER_ACCOUNT_NULL_HYPOTHESIS,
  type AttributionMethod,
  type AccountTestResult,
  type AttributeOptions,
  type AttributionReport,
} from './accounts/attribute-accounts.js';
export { AccountLedger, ACCOUNT_LEDGER_MAGIC, ACCOUNT_LEDGER_VERSION, type AccountLedgerInfo } from './ledger/account-ledger.js';
export { EmissionLedger, type LedgerInfo, type LedgerOptions } from './ledger/emission-ledger.js';
export { BloomFilter, bloomFalsePositiveRate } from './ledger/bloom-filter.js';
